import type { LeaseGrant } from '../subscription-lease.interface.js';
import type { SqlSession } from './sql-driver.interface.js';
import { clearOwners, type LeaseRelease, type LeaseRequest, lockAndTake, unlock, unlockAndClear } from './sql-lease-statements.js';
import { SqlLeaseKeeper } from './sql-lease-keeper.js';
import type { SqlSubscriptionLease } from './sql-subscription-lease.js';

/** A granted row, with the session that holds its lock. */
interface Taken {
  grant?: LeaseGrant;
  session: SqlSession;
}

/**
 * Grants subscription leases as session advisory locks. All locks of one store live on ONE
 * dedicated session: a process with many subscriptions uses one extra connection, not one per
 * subscription, and when that connection dies every lock it held is gone at once, which is exactly
 * when every lease is marked lost. The session is reopened on the next acquire. Session locks are
 * re-entrant, so exclusivity between leases of this store is enforced here; between processes, by
 * PostgreSQL. The session runs one statement at a time, which is why takes and gives are grouped.
 */
export class SqlSubscriptionLeases extends SqlLeaseKeeper<Taken> {
  private session?: Promise<SqlSession>;

  /** Marks every lease lost and closes the lock session. */
  async close(): Promise<void> {
    const session = this.session;
    this.sessionEnded(session);
    await (await session?.catch(() => undefined))?.close();
  }

  protected async take(requests: LeaseRequest[]): Promise<Taken[]> {
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

  /** The session may have died while the epoch was taken; its end was then already handled. */
  protected granted(lease: SqlSubscriptionLease, { session }: Taken): void {
    if (session.ended) this.lose(lease);
  }

  /** A dead session has already dropped the locks; then only the owners are cleared. */
  protected async give(releases: LeaseRelease[]): Promise<void> {
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
    this.loseAll();
  }
}
