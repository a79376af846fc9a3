import { performance } from 'node:perf_hooks';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { LeaseRelease, LeaseRequest } from './sql-lease-statements.js';
import { SqlLeaseKeeper } from './sql-lease-keeper.js';
import { releaseRows, renewRows, takeRows } from './sql-row-lease-statements.js';
import type { SqlSchema } from './sql-schema.js';
import type { SqlSubscriptionLease } from './sql-subscription-lease.js';

/** A granted row, and until when this process may count on it (its clock, from before the take). */
interface Taken {
  grant?: LeaseGrant;
  until: number;
}

const renewal = (lease: SqlSubscriptionLease): LeaseRelease => ({ name: lease.name, epoch: lease.epoch });

/**
 * Grants subscription leases as rows that expire, for connections that keep no session (a
 * transaction-mode pooler: PgBouncer, RDS Proxy). Every statement stands alone. While leases are
 * held, one statement every third of the timeout renews them all. A lease is lost when a renewal
 * no longer finds it (another process took it over once it had expired), or when no renewal has
 * succeeded for a whole timeout: by then it may have expired, so delivery stops before another
 * holder can start. The epoch fence, not this timing, keeps a late writer from moving anything.
 */
export class SqlRowLeases extends SqlLeaseKeeper<Taken> {
  /** Per held lease, until when (this process's monotonic clock) it is surely still ours. */
  private readonly until = new Map<SqlSubscriptionLease, number>();
  private timer?: NodeJS.Timeout;
  private renewing = false;

  constructor(
    driver: SqlDriver,
    schema: SqlSchema,
    /** How long a lease lasts without a renewal, ms. */
    private readonly timeoutMs: number,
  ) {
    super(driver, schema);
  }

  /** Marks every lease lost and frees their rows at once, so others need not wait for them to expire. */
  async close(): Promise<void> {
    this.stopBeating();
    const leases = [...this.held.values()];
    this.loseAll();
    this.until.clear();
    if (leases.length) await releaseRows(this.driver, this.schema, leases.map(renewal)).catch(() => undefined);
  }

  protected async take(requests: LeaseRequest[]): Promise<Taken[]> {
    const started = performance.now();
    const grants = await takeRows(this.driver, this.schema, requests, this.timeoutMs);
    return grants.map((grant) => ({ grant, until: started + this.timeoutMs }));
  }

  protected granted(lease: SqlSubscriptionLease, { until }: Taken): void {
    this.until.set(lease, until);
    this.timer ??= setInterval(() => void this.beat(), this.timeoutMs / 3).unref();
  }

  protected async give(releases: LeaseRelease[]): Promise<void> {
    await releaseRows(this.driver, this.schema, releases).catch(() => undefined);
  }

  /** Loses what was not renewed in time, then renews the rest (one renewal in flight at most). */
  private async beat(): Promise<void> {
    const now = performance.now();
    for (const [lease, until] of this.until) {
      if (this.held.get(lease.name) !== lease) this.until.delete(lease);
      else if (now >= until) {
        this.until.delete(lease);
        this.lose(lease);
      }
    }
    if (this.held.size === 0) return this.stopBeating();
    if (this.renewing) return;
    this.renewing = true;
    const leases = [...this.held.values()];
    const started = performance.now();
    try {
      const kept = await renewRows(this.driver, this.schema, leases.map(renewal), this.timeoutMs);
      for (const lease of leases) {
        if (!kept.has(lease.name)) this.lose(lease);
        else if (this.until.has(lease)) this.until.set(lease, started + this.timeoutMs);
      }
    } catch {
      // The store is unreachable for now: the leases last until their deadline, checked next beat.
    } finally {
      this.renewing = false;
    }
  }

  private stopBeating(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
