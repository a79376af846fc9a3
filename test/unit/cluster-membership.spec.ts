import { ClusterMembership } from '../../lib/cluster/cluster-membership.js';
import type { MemberRecord } from '../../lib/event-store/member-table.interface.js';
import { MemoryMemberTable } from '../../lib/event-store/memory/memory-member-table.js';
import { eventually } from '../harness/eventually.js';

const TIMING = { heartbeatInterval: 10, nodeTimeout: 60_000 };

/** A member table that counts the heartbeats of each member. */
class CountingTable extends MemoryMemberTable {
  readonly beats = new Map<string, number>();

  override heartbeat(member: MemberRecord, timeoutMs: number): Promise<MemberRecord[]> {
    this.beats.set(member.name, (this.beats.get(member.name) ?? 0) + 1);
    return super.heartbeat(member, timeoutMs);
  }
}

const record = (name: string, startedAt: number): MemberRecord => ({ name, host: '127.0.0.1', port: 1, startedAt });

describe('cluster membership: a peer that announced its leave', () => {
  let table: CountingTable;
  const memberships: ClusterMembership[] = [];
  const start = async (member: MemberRecord) => {
    const membership = new ClusterMembership(member, table, TIMING);
    memberships.push(membership);
    await membership.start();
    return membership;
  };
  /** Resolves once `name` has beaten `count` more times. */
  const beats = (name: string, count: number) => {
    const target = (table.beats.get(name) ?? 0) + count;
    return eventually(() => expect(table.beats.get(name)).toBeGreaterThanOrEqual(target));
  };

  beforeEach(() => (table = new CountingTable()));
  afterEach(() => memberships.splice(0).forEach((membership) => membership.stop()));

  it('stays dropped while its record is still listed, and a new life of it joins again', async () => {
    const a = await start(record('a', 1));
    const b = await start(record('b', 1));
    await eventually(() => expect(a.names).toEqual(['a', 'b']));

    // The announcement arrives before the leaver's record is gone (and it may still answer a ping).
    b.stop();
    a.drop('b');
    expect(a.names).toEqual(['a']);
    await beats('a', 3);
    expect(a.names).toEqual(['a']);

    await table.leave('b');
    await beats('a', 2);
    await start(record('b', 2));
    await eventually(() => expect(a.names).toEqual(['a', 'b']));
    expect(a.member('b')?.startedAt).toBe(2);
  });

  it('forgets the departure once the record is gone, so the same life seen again later counts again', async () => {
    const a = await start(record('a', 1));
    await table.heartbeat(record('b', 1), TIMING.nodeTimeout);
    await eventually(() => expect(a.names).toEqual(['a', 'b']));
    a.drop('b');
    await table.leave('b');
    await beats('a', 2);
    await table.heartbeat(record('b', 1), TIMING.nodeTimeout);
    await eventually(() => expect(a.names).toEqual(['a', 'b']));
  });
});
