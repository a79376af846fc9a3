import { Batcher } from '../../util/batcher.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { LeaseRelease, LeaseRequest } from './sql-lease-statements.js';
import type { SqlSchema } from './sql-schema.js';
import { SqlSubscriptionLease } from './sql-subscription-lease.js';

/**
 * What both ways of holding subscription leases share: at most one lease per name in this store,
 * acquisitions asked for together (a standby told of several releases) taken in one statement, and
 * releases (a node stopping) given in one; a takeover costs one round trip, however many
 * subscriptions move. `Taken` is what a subclass learns per request besides the grant.
 */
export abstract class SqlLeaseKeeper<Taken extends { grant?: LeaseGrant }> {
  protected readonly held = new Map<string, SqlSubscriptionLease>();
  private readonly acquiring = new Set<string>();
  private readonly acquisitions = new Batcher<LeaseRequest, Taken>((requests) => this.take(requests), { gatherTurn: true });
  private readonly releases = new Batcher<LeaseRelease, void>((releases) => this.give(releases).then(() => releases.map(() => undefined)), {
    gatherTurn: true,
  });

  constructor(
    protected readonly driver: SqlDriver,
    protected readonly schema: SqlSchema,
  ) {}

  async acquire(name: string, owner?: string): Promise<SqlSubscriptionLease | undefined> {
    if (this.held.has(name) || this.acquiring.has(name)) return undefined;
    this.acquiring.add(name);
    try {
      const taken = await this.acquisitions.submit({ name, owner: owner ?? null });
      if (!taken.grant) return undefined;
      const lease = new SqlSubscriptionLease(taken.grant, {
        driver: this.driver,
        schema: this.schema,
        release: (leaseName, epoch) => this.release(leaseName, epoch),
      });
      this.held.set(name, lease);
      this.granted(lease, taken);
      return lease;
    } finally {
      this.acquiring.delete(name);
    }
  }

  /** Marks every lease lost and lets go of what holds them. */
  abstract close(): Promise<void>;

  /** Takes what is free of `requests` in one statement; one answer per request, in order. */
  protected abstract take(requests: LeaseRequest[]): Promise<Taken[]>;

  /** Gives leases back, best effort: status stops naming this node and standbys find them free. */
  protected abstract give(releases: LeaseRelease[]): Promise<void>;

  /** Called once `lease` is held, with what its take learned: the hold may have gone meanwhile. */
  protected abstract granted(lease: SqlSubscriptionLease, taken: Taken): void;

  /** Forgets `lease` (if still held) and tells it it is lost. */
  protected lose(lease: SqlSubscriptionLease): void {
    if (this.held.get(lease.name) === lease) this.held.delete(lease.name);
    lease.markLost();
  }

  /** Forgets every lease and tells each it is lost. */
  protected loseAll(): void {
    const leases = [...this.held.values()];
    this.held.clear();
    leases.forEach((lease) => lease.markLost());
  }

  /** Forgets the lease at once; it is given back with the next batch of releases. */
  private async release(name: string, epoch: number): Promise<void> {
    if (this.held.get(name)?.epoch === epoch) this.held.delete(name);
    await this.releases.submit({ name, epoch });
  }
}
