import { Batcher } from '../../util/batcher.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import type { SqlDriver, SqlSession } from './sql-driver.interface.js';
import { clearOwners, type LeaseRelease, type LeaseRequest, lockAndTake, unlock, unlockAndClear } from './sql-lease-statements.js';
import type { SqlSchema } from './sql-schema.js';
import { SqlSubscriptionLease } from './sql-subscription-lease.js';

/** A granted row, with the session that holds its lock. */
interface Taken {
  grant?: LeaseGrant;
  session: SqlSession;
}

/**
 * Grants subscription leases. All locks of one store live on ONE dedicated session: a process with
 * many subscriptions uses one extra connection, not one per subscription, and when that connection
 * dies every lock it held is gone at once, which is exactly when every lease is marked lost. The
 * session is reopened on the next acquire. Session locks are re-entrant, so exclusivity between
 * leases of this store is enforced here; between processes, by PostgreSQL.
 *
 * The session runs one statement at a time, so acquisitions asked for together (a standby told of
 * several releases) go as one statement, and so do releases (a node stopping): a takeover costs
 * one round trip, however many subscriptions move.
 */
export class SqlSubscriptionLeases {
  private session?: Promise<SqlSession>;
  private readonly held = new Map<string, SqlSubscriptionLease>();
  private readonly acquiring = new Set<string>();
  private readonly acquisitions = new Batcher<LeaseRequest, Taken>((requests) => this.take(requests), { gatherTurn: true });
  private readonly releases = new Batcher<LeaseRelease, void>((releases) => this.give(releases), { gatherTurn: true });

  constructor(
    private readonly driver: SqlDriver,
    private readonly schema: SqlSchema,
  ) {}

  async acquire(name: string, owner?: string): Promise<SqlSubscriptionLease | undefined> {
    if (this.held.has(name) || this.acquiring.has(name)) return undefined;
    this.acquiring.add(name);
    try {
      const { grant, session } = await this.acquisitions.submit({ name, owner: owner ?? null });
      if (!grant) return undefined;
      const lease = new SqlSubscriptionLease(grant, {
        driver: this.driver,
        schema: this.schema,
        release: (leaseName, epoch) => this.release(leaseName, epoch),
      });
      this.held.set(name, lease);
      // The session may have died while the epoch was taken; its end was then already handled.
      if (session.ended) {
        this.held.delete(name);
        lease.markLost();
      }
      return lease;
    } finally {
      this.acquiring.delete(name);
    }
  }

  /** Marks every lease lost and closes the lock session. */
  async close(): Promise<void> {
    const session = this.session;
    this.sessionEnded(session);
    await (await session?.catch(() => undefined))?.close();
  }

  /** Forgets the lease at once; its lock and owner go with the next batch of releases. */
  private async release(name: string, epoch: number): Promise<void> {
    this.held.delete(name);
    await this.releases.submit({ name, epoch });
  }

  private async take(requests: LeaseRequest[]): Promise<Taken[]> {
    const session = await this.lockSession();
    try {
      return (await lockAndTake(session, this.schema, requests)).map((grant) => ({ grant, session }));
    } catch (error) {
      await unlock(
        session,
        this.schema,
        requests.map((r) => r.name),
      );
      throw error;
    }
  }

  /**
   * Best effort: status stops naming this node, and a standby told of the release finds the lock
   * free. A dead session has already dropped the locks; then only the owners are cleared.
   */
  private async give(releases: LeaseRelease[]): Promise<void[]> {
    const session = await this.session?.catch(() => undefined);
    if (!session || session.ended) await clearOwners(this.driver, this.schema, releases).catch(() => undefined);
    else {
      await unlockAndClear(session, this.schema, releases).catch(() =>
        unlock(
          session,
          this.schema,
          releases.map((r) => r.name),
        ),
      );
    }
    return releases.map(() => undefined);
  }

  private lockSession(): Promise<SqlSession> {
    if (!this.session) {
      const opening = this.driver.openSession().then((session) => {
        session.onEnd(() => this.sessionEnded(opening));
        return session;
      });
      opening.catch(() => this.session === opening && (this.session = undefined));
      this.session = opening;
    }
    return this.session;
  }

  /** Every held lock lived on the session that ended: all leases are lost. */
  private sessionEnded(which: Promise<SqlSession> | undefined): void {
    if (this.session !== which) return;
    this.session = undefined;
    const leases = [...this.held.values()];
    this.held.clear();
    leases.forEach((lease) => lease.markLost());
  }
}
