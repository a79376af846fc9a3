import { Logger } from '@nestjs/common';
import type { MemberRecord, MemberTable } from '../event-store/member-table.interface.js';
import { addressOf } from './cluster.settings.js';

/** A member as this node sees it. */
export interface ClusterMember extends MemberRecord {
  /** `host:port` peers connect to. */
  address: string;
  /** When this node first saw it in its current life. */
  since: Date;
}

/** What changed in the member list. */
export interface MembershipChange {
  joined: ClusterMember[];
  left: ClusterMember[];
  /** This node missed its own heartbeats past the node timeout: the others dropped it meanwhile. */
  lapsed: boolean;
}

/** Timing of the heartbeat loop. */
export interface MembershipTiming {
  heartbeatInterval: number;
  nodeTimeout: number;
}

/**
 * This node's view of the cluster: it records a heartbeat in the member table every interval and
 * reads back who else did within the node timeout. Joins and leaves are logged once each.
 */
export class ClusterMembership {
  private readonly logger = new Logger('ClusterMembership');
  private readonly listeners = new Set<(change: MembershipChange) => void>();
  private view = new Map<string, ClusterMember>();
  /**
   * Peers that announced their clean shutdown: name and the life (`startedAt`) that left. A
   * heartbeat that still lists that life (read before its record was removed, or answered by a
   * node that is closing) does not bring it back; a new life of the same name does.
   */
  private readonly departed = new Map<string, number>();
  private sortedNames: string[] = [];
  private timer?: NodeJS.Timeout;
  private lastBeat = 0;
  private failing = false;
  private beating?: Promise<void>;

  constructor(
    readonly self: MemberRecord,
    private readonly table: MemberTable,
    private readonly timing: MembershipTiming,
  ) {}

  /**
   * True while this node's last heartbeat is recent enough that no peer can have dropped it. By
   * the local clock, which keeps running while the process is paused: the first thing a resumed
   * node knows is that it is out of touch.
   */
  get fresh(): boolean {
    return Date.now() - this.lastBeat <= this.timing.nodeTimeout;
  }

  /** Live member names, sorted; the same list on every node once heartbeats have settled. */
  get names(): readonly string[] {
    return this.sortedNames;
  }

  get members(): ClusterMember[] {
    return [...this.view.values()];
  }

  member(name: string): ClusterMember | undefined {
    return this.view.get(name);
  }

  /** Calls `listener` after every change of the member list; returns an unsubscribe function. */
  onChange(listener: (change: MembershipChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Joins: the first heartbeat must succeed (a node that cannot register must not start). */
  async start(): Promise<void> {
    await this.beat(true);
    this.timer = setInterval(() => void this.tick(), this.timing.heartbeatInterval);
  }

  /** Leaves at once: stops heartbeating and removes this node's record. */
  async leave(): Promise<void> {
    this.stop();
    await this.beating;
    await this.table.leave(this.self.name).catch((error: Error) => this.logger.warn(`Could not remove this node's member record: ${error.message}`));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Drops a peer that announced its clean shutdown, without waiting for its record to expire. */
  drop(name: string): void {
    const member = this.view.get(name);
    if (!member || name === this.self.name) return;
    this.departed.set(name, member.startedAt);
    this.apply(
      [...this.view.values()].filter((m) => m.name !== name),
      false,
    );
  }

  private async tick(): Promise<void> {
    if (this.beating) return;
    this.beating = this.beat(false)
      .catch((error: Error) => {
        if (!this.failing) this.logger.warn(`Cluster heartbeat failed (${error.message}); keeping the last known members`);
        this.failing = true;
      })
      .finally(() => (this.beating = undefined));
  }

  private async beat(first: boolean): Promise<void> {
    const started = Date.now();
    // A gap longer than the timeout (process paused, store unreachable) means the others have
    // dropped this node and may have written to its aggregates.
    const gap = started - this.lastBeat;
    const lapsed = !first && gap > this.timing.nodeTimeout;
    const records = this.withoutDeparted(await this.table.heartbeat(this.self, this.timing.nodeTimeout));
    if (this.failing) this.logger.log('Cluster heartbeat works again');
    this.failing = false;
    this.lastBeat = started;
    if (lapsed) this.logger.warn(`This node missed its heartbeats for ${(gap / 1000).toFixed(1)} s; reloading its aggregates`);
    const previous = this.view;
    const next = records.map((r) =>
      previous.get(r.name)?.startedAt === r.startedAt ? previous.get(r.name)! : { ...r, address: addressOf(r), since: new Date() },
    );
    this.apply(next, lapsed);
  }

  /** The records but those of departed lives; a departure is forgotten once its record is gone. */
  private withoutDeparted(records: MemberRecord[]): MemberRecord[] {
    for (const [name, startedAt] of this.departed) {
      if (!records.some((r) => r.name === name && r.startedAt === startedAt)) this.departed.delete(name);
    }
    return records.filter((r) => this.departed.get(r.name) !== r.startedAt);
  }

  private apply(next: ClusterMember[], lapsed: boolean): void {
    const previous = this.view;
    this.view = new Map(next.map((m) => [m.name, m]));
    const joined = next.filter((m) => previous.get(m.name) !== m);
    const left = [...previous.values()].filter((m) => this.view.get(m.name) !== m);
    if (!joined.length && !left.length && !lapsed) return;
    this.sortedNames = [...this.view.keys()].sort();
    for (const m of left) if (m.name !== this.self.name) this.logger.log(`Node ${m.name} (${m.address}) left the cluster`);
    for (const m of joined) if (m.name !== this.self.name) this.logger.log(`Node ${m.name} (${m.address}) joined the cluster`);
    if (joined.length || left.length) this.logger.log(`Cluster members: ${this.sortedNames.join(', ')}`);
    for (const listener of this.listeners) listener({ joined, left, lapsed });
  }
}
