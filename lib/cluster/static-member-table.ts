import type { MemberRecord, MemberTable } from '../event-store/member-table.interface.js';
import type { ClusterTransport } from './cluster-transport.js';

/** Request pattern a node answers with its own {@link MemberRecord}. */
export const PING_PATTERN = 'es.cluster.ping';

/**
 * Members from a fixed list of addresses (`discovery: { nodes }`): each heartbeat pings every
 * listed address; a node is live while it answered within the node timeout.
 */
export class StaticMemberTable implements MemberTable {
  private readonly seen = new Map<string, { record: MemberRecord; at: number }>();

  constructor(
    private readonly transport: ClusterTransport,
    private readonly addresses: string[],
    private readonly pingTimeout: number,
  ) {}

  async heartbeat(self: MemberRecord, timeoutMs: number): Promise<MemberRecord[]> {
    const own = `${self.host}:${self.port}`;
    await Promise.all(
      this.addresses
        .filter((address) => address !== own)
        .map(async (address) => {
          // Nest's client refuses null or undefined data before sending anything: the ping carries the sender's name.
          const record = await this.transport
            .request<MemberRecord>(address, address, PING_PATTERN, { from: self.name }, this.pingTimeout)
            .catch(() => undefined);
          if (record) this.seen.set(address, { record, at: Date.now() });
        }),
    );
    const cutoff = Date.now() - timeoutMs;
    return [self, ...[...this.seen.values()].filter((s) => s.at > cutoff && s.record.name !== self.name).map((s) => s.record)];
  }

  /** Forgets a node that announced its clean shutdown, so its last answer does not keep it alive. */
  forget(name: string): void {
    for (const [address, seen] of this.seen) if (seen.record.name === name) this.seen.delete(address);
  }

  /** Peers learn of a clean shutdown from the node's own announcement; nothing is stored here. */
  async leave(): Promise<void> {}
}
