import type { MemberRecord, MemberStatus, MemberTable } from '../member-table.interface.js';

/**
 * Members of one memory store: the applications of one process sharing a store instance find
 * each other here, as separate processes do through the SQL table. For tests.
 */
export class MemoryMemberTable implements MemberTable {
  private readonly members = new Map<string, { record: MemberRecord; heartbeatAt: number }>();

  async heartbeat(member: MemberRecord, timeoutMs: number): Promise<MemberRecord[]> {
    const now = Date.now();
    this.members.set(member.name, { record: { ...member }, heartbeatAt: now });
    return [...this.members.values()].filter((m) => m.heartbeatAt > now - timeoutMs).map((m) => ({ ...m.record }));
  }

  async leave(name: string): Promise<void> {
    this.members.delete(name);
  }

  async list(): Promise<MemberStatus[]> {
    const now = Date.now();
    return [...this.members.values()].map((m) => ({ ...m.record, heartbeatAgeMs: now - m.heartbeatAt })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
