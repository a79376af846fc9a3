import type { SqlDriver, SqlSession } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';
import { SqlSubscriptionLease } from './sql-subscription-lease.js';

/**
 * Grants subscription leases. All locks of one store live on ONE dedicated session: a process with
 * many subscriptions uses one extra connection, not one per subscription, and when that connection
 * dies every lock it held is gone at once, which is exactly when every lease is marked lost. The
 * session is reopened on the next acquire. Session locks are re-entrant, so exclusivity between
 * leases of this store is enforced here; between processes, by PostgreSQL.
 */
export class SqlSubscriptionLeases {
  private session?: Promise<SqlSession>;
  private readonly held = new Map<string, SqlSubscriptionLease>();
  private readonly acquiring = new Set<string>();

  constructor(
    private readonly driver: SqlDriver,
    private readonly schema: SqlSchema,
  ) {}

  async acquire(name: string, owner?: string): Promise<SqlSubscriptionLease | undefined> {
    if (this.held.has(name) || this.acquiring.has(name)) return undefined;
    this.acquiring.add(name);
    try {
      const session = await this.lockSession();
      const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [
        this.lockKey(name),
      ]);
      if (!rows[0].locked) return undefined;
      const lease = new SqlSubscriptionLease(name, await this.takeEpoch(session, name, owner), {
        driver: this.driver,
        schema: this.schema,
        release: (leaseName) => this.release(leaseName),
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

  private async release(name: string): Promise<void> {
    this.held.delete(name);
    const session = await this.session?.catch(() => undefined);
    // A dead session has already dropped the lock.
    if (session && !session.ended) await this.unlock(session, name);
  }

  /** Bumps the owner epoch, fencing off writes of any previous owner, and names the owner; unlocks if that fails. */
  private async takeEpoch(session: SqlSession, name: string, owner?: string): Promise<number> {
    try {
      const { rows } = await this.driver.query<{ epoch: string }>(
        `INSERT INTO ${this.schema.quoted}.subscriptions AS s (name, owner) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET epoch = s.epoch + 1, owner = $2, updated_at = now() RETURNING epoch`,
        [name, owner ?? null],
      );
      return Number(rows[0].epoch);
    } catch (error) {
      await this.unlock(session, name);
      throw error;
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
    const leases = [...this.held.values()];
    this.held.clear();
    leases.forEach((lease) => lease.markLost());
  }

  /** Best effort: if the session fails, its end drops the lock anyway. */
  private async unlock(session: SqlSession, name: string): Promise<void> {
    await session.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey(name)]).catch(() => undefined);
  }

  private lockKey(name: string): string {
    return `nestjs-event-sourcing:subscription:${this.schema.name}:${name}`;
  }
}
