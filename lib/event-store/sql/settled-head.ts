import { GapFence } from './gap-fence.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * Positions a replica may serve: every position <= `upTo` is final on the primary (committed or
 * rolled back for good), and `lsn` is a WAL position read on the primary after that was proven.
 */
export interface SettledRange {
  upTo: number;
  lsn: string;
}

/** What {@link SettledHead.certify} found: a range, the head within reach of the primary, or a proof still open. */
export type Certified = SettledRange | 'near' | 'pending';

/**
 * Proves on the primary how far the events are final, with {@link GapFence}'s argument: the head
 * `h` (committed, so seen by a read) is taken as a fence's `upTo`, a transaction id is assigned
 * after that read, and once no transaction up to that id can still be running, every position
 * <= h is final. The proof usually closes at the next statement; while a transaction that may
 * hold a position below `h` is still open it stays pending, and the caller reads the primary
 * meanwhile. Costs three statements per range, however long the range.
 */
export class SettledHead {
  private pending?: { upTo: number; fence: GapFence };

  constructor(
    private readonly sql: SqlDriver,
    private readonly schema: SqlSchema,
  ) {}

  /** A settled range ending more than `minLag` ahead of `position` (at the head as last read). */
  async certify(position: number, minLag: number): Promise<Certified> {
    // While a proof was pending the reader went on on the primary: a range it has come near (or past) is of no use.
    if (this.pending && this.pending.upTo - position <= minLag) this.pending = undefined;
    if (!this.pending) {
      const upTo = await this.head();
      if (upTo - position <= minLag) return 'near';
      const fence = new GapFence(this.sql, `${this.schema.quoted}.events`);
      await fence.take(upTo);
      this.pending = { upTo, fence };
    }
    const { upTo, fence } = this.pending;
    // The LSN is read in the statement whose snapshot closes the proof, after that snapshot was
    // taken: every transaction that held a position <= upTo had written its end to the WAL by then.
    const closing = await this.walAfterSnapshot();
    let lsn = closing.lsn;
    fence.observe(closing.xmin);
    if (fence.finalUpTo < upTo) {
      await fence.askLocks();
      if (fence.finalUpTo < upTo) return 'pending';
      ({ lsn } = await this.walAfterSnapshot());
    }
    this.pending = undefined;
    return { upTo, lsn };
  }

  private async head(): Promise<number> {
    const { rows } = await this.sql.query<{ head: string }>(
      `SELECT coalesce(max(global_position), 0)::text AS head FROM ${this.schema.quoted}.events`,
    );
    return Number(rows[0].head);
  }

  /**
   * The WAL insert position, not the write position: a commit made with `synchronous_commit = off`
   * is visible before its record is written, never before it is inserted.
   */
  private async walAfterSnapshot(): Promise<{ xmin: string; lsn: string }> {
    const { rows } = await this.sql.query<{ xmin: string; lsn: string }>(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_current_wal_insert_lsn()::text AS lsn',
    );
    return rows[0];
  }
}
