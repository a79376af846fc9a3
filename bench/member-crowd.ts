import { performance } from 'node:perf_hooks';
import { ClusterMembership, type MembershipTiming } from '../lib/cluster/cluster-membership.js';
import type { MemberRecord, MemberTable } from '../lib/event-store/member-table.interface.js';

/** A member table that counts the heartbeats it answered and how long each took. */
class CountedMemberTable implements MemberTable {
  readonly beatMs: number[] = [];

  constructor(private readonly table: MemberTable) {}

  async heartbeat(member: MemberRecord, timeoutMs: number): Promise<MemberRecord[]> {
    const started = performance.now();
    const records = await this.table.heartbeat(member, timeoutMs);
    this.beatMs.push(performance.now() - started);
    return records;
  }

  leave(name: string): Promise<void> {
    return this.table.leave(name);
  }
}

/**
 * Many cluster members in one process: real {@link ClusterMembership}s heartbeating into one real
 * member table, without the TCP links a node adds (a graceful leave is seen through the table,
 * as by a peer that missed the node's announcement). Each change resolves with the ms until every
 * live member lists exactly the live members.
 */
export class MemberCrowd {
  private readonly table: CountedMemberTable;
  private readonly live = new Map<string, ClusterMembership>();
  private serial = 0;
  /** Membership changes the members reported, each member counting its own. */
  changes = 0;

  constructor(
    table: MemberTable,
    private readonly label: string,
    private readonly timing: MembershipTiming,
    /** A member list not agreed on within this many ms fails the change. */
    private readonly giveUpMs = 60_000,
  ) {
    this.table = new CountedMemberTable(table);
  }

  /** Live member names, sorted like a membership's own list. */
  get names(): string[] {
    return [...this.live.keys()].sort();
  }

  /** Every member's own view, by name. */
  get views(): Map<string, readonly string[]> {
    return new Map([...this.live].map(([name, m]) => [name, m.names]));
  }

  /** Heartbeats answered so far, and the ms each took. */
  get beats(): readonly number[] {
    return this.table.beatMs;
  }

  /** Starts `count` members one after another and waits until all agree. */
  async grow(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.start(this.newcomer());
    await this.agreement();
  }

  /** A new member joins. */
  join(): Promise<number> {
    const membership = this.newcomer();
    return this.change(() => this.start(membership));
  }

  /** `name` leaves cleanly: it stops heartbeating and removes its record. */
  leave(name: string): Promise<number> {
    const membership = this.remove(name);
    return this.change(() => membership.leave());
  }

  /** `name` stops heartbeating and keeps its record, as a killed process does. */
  crash(name: string): Promise<number> {
    const membership = this.remove(name);
    return this.change(async () => membership.stop());
  }

  /** Every member leaves. */
  async close(): Promise<void> {
    await Promise.all([...this.live.keys()].map((name) => this.remove(name).leave()));
  }

  private newcomer(): ClusterMembership {
    const name = `${this.label}-${String(this.serial++).padStart(4, '0')}`;
    const membership = new ClusterMembership({ name, host: '127.0.0.1', port: this.serial, startedAt: Date.now() }, this.table, this.timing);
    membership.onChange(() => this.changes++);
    this.live.set(name, membership);
    return membership;
  }

  private async start(membership: ClusterMembership): Promise<void> {
    try {
      await membership.start();
    } catch (error) {
      this.live.delete(membership.self.name);
      throw error;
    }
  }

  private remove(name: string): ClusterMembership {
    const membership = this.live.get(name);
    if (!membership) throw new Error(`${name} is not a live member of ${this.label}`);
    this.live.delete(name);
    return membership;
  }

  /** Runs `act`, then resolves with the ms from its start until every live member agrees. */
  private async change(act: () => Promise<void>): Promise<number> {
    const started = performance.now();
    // Listening before acting: a member may see the change before `act` resolves.
    const agreed = this.agreement();
    await act();
    return (await agreed) - started;
  }

  /** Resolves with the moment the last live member listed exactly the live members. */
  private agreement(): Promise<number> {
    const expected = this.names.join('\n');
    const members = [...this.live.values()];
    return new Promise((resolve, reject) => {
      const listening = new Set<() => void>();
      let pending = members.length;
      const done = (outcome: () => void) => {
        clearTimeout(timer);
        for (const unsubscribe of listening) unsubscribe();
        outcome();
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`${pending} of ${members.length} members of ${this.label} still disagree after ${this.giveUpMs} ms`))),
        this.giveUpMs,
      );
      const agrees = (membership: ClusterMembership) => membership.names.join('\n') === expected;
      const agreed = () => {
        if (--pending === 0) done(() => resolve(performance.now()));
      };
      for (const membership of members) {
        if (agrees(membership)) {
          agreed();
          continue;
        }
        const unsubscribe = membership.onChange(() => {
          if (!agrees(membership)) return;
          unsubscribe();
          listening.delete(unsubscribe);
          agreed();
        });
        listening.add(unsubscribe);
      }
      if (!members.length) done(() => resolve(performance.now()));
    });
  }
}
