import { SubscriptionLostError } from '../../errors/subscription-lost.error.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlDriver, StoreSql } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';
import { FencedLease } from '../fenced-lease.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import { type ProgressWrite, type StoredProgress, type TransactionWrite, writeAfter } from '../progress-write.js';
import { readProgress, writeProgress } from './sql-progress.js';
import { resetRows } from './sql-replay-windows.js';

/** Last acknowledged position of subscription `name` (0 when it has none); of a spread one, its lowest partition's. */
export async function readCheckpoint(sql: SqlExecutor, schema: SqlSchema, name: string): Promise<number> {
  const s = schema.quoted;
  const { rows } = await sql.query<{ position: string | null }>(
    `SELECT COALESCE((SELECT min(position) FROM ${s}.subscriptions WHERE partition_of = $1), (SELECT position FROM ${s}.subscriptions WHERE name = $1)) AS position`,
    [name],
  );
  return Number(rows[0]?.position ?? 0);
}

/** What a lease needs from the store that granted it. */
export interface LeaseContext {
  driver: SqlDriver;
  schema: SqlSchema;
  /** Clears the owner (when `epoch` still holds the row), gives the advisory lock back and forgets the lease. */
  release(name: string, epoch: number): Promise<void>;
}

/**
 * Ownership of one subscription, backed by a session advisory lock and fenced by an epoch: every
 * checkpoint write names the epoch this owner got, so once another process takes over (and bumps
 * the epoch) a late write from this one changes nothing and fails with `SubscriptionLostError`.
 */
export class SqlSubscriptionLease extends FencedLease {
  constructor(
    /** The row as the lease was granted; its epoch is the one this owner holds. */
    granted: LeaseGrant,
    private readonly context: LeaseContext,
  ) {
    super(granted);
  }

  private released = false;

  readCheckpoint(): Promise<number> {
    return readCheckpoint(this.context.driver, this.context.schema, this.name);
  }

  async saveCheckpoint(position: number): Promise<void> {
    this.assertHeld();
    await this.moveCheckpoint(this.context.driver, position);
  }

  readProgress(): Promise<StoredProgress> {
    return readProgress(this.context.driver, this.context.schema, this.name);
  }

  async saveProgress(write: ProgressWrite): Promise<void> {
    this.assertHeld();
    await this.writeProgress(this.context.driver, write);
  }

  async transaction<T>(position: TransactionWrite<T>, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertHeld();
    return this.context.driver.transaction(async (sql) => {
      const result = await work(sql);
      const write = writeAfter(position, result);
      if (typeof write === 'number') await this.moveCheckpoint(sql, write);
      else await this.writeProgress(sql, write);
      // The lock connection may have dropped while `work` ran: roll back rather than commit as a zombie.
      this.assertHeld();
      return result;
    });
  }

  /**
   * The checkpoint moves to `position` (backwards too), the pending request ends, and what was
   * recorded above `position` goes: finished positions and parked events there are delivered again,
   * as replays up to the furthest position reached so far. The partitions of a spread subscription
   * are reset with it, in the same transaction, each keeping its own replay window.
   */
  async reset<T>(position: number, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertHeld();
    const { schema } = this.context;
    const s = schema.quoted;
    return this.context.driver.transaction(async (sql) => {
      const result = await work(sql);
      // Only this epoch moves the checkpoint: the row is not picked when another took it.
      const own = await resetRows(sql, schema, position, { where: 'name = $1 AND epoch = $2', params: [this.name, this.epoch], raiseEpoch: false });
      if (own.length === 0) this.fenced();
      // A spread subscription's partitions move with it, and their epochs rise so their holders start over.
      await resetRows(sql, schema, position, { where: 'partition_of = $1', params: [this.name], raiseEpoch: true });
      await sql.query(
        `DELETE FROM ${s}.parked_events WHERE global_position > $2
            AND (subscription = $1 OR subscription IN (SELECT name FROM ${s}.subscriptions WHERE partition_of = $1))`,
        [this.name, position],
      );
      this.assertHeld();
      return result;
    });
  }

  /** Also gives up the lock of a lease lost to a raised epoch (reset, restart): it still holds it until then. */
  async release(): Promise<void> {
    this.markLost();
    if (this.released) return;
    this.released = true;
    // Status stops naming this node; a stale epoch leaves the new owner's name alone.
    await this.context.release(this.name, this.epoch);
  }

  private async writeProgress(sql: StoreSql, write: ProgressWrite): Promise<void> {
    if (!(await writeProgress(sql, this.context.schema, this.name, this.epoch, write))) this.fenced();
  }

  private fenced(): never {
    this.markLost();
    throw new SubscriptionLostError(this.name);
  }

  private async moveCheckpoint(sql: StoreSql, position: number): Promise<void> {
    const { schema } = this.context;
    const { rows } = await sql.prepared(
      `es_checkpoint_${schema.name}`,
      `UPDATE ${schema.quoted}.subscriptions SET position = $3, updated_at = now()
        WHERE name = $1 AND epoch = $2 RETURNING name`,
      [this.name, this.epoch, position],
    );
    if (rows.length === 0) this.fenced();
  }
}
