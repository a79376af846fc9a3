import type { SqlDriver } from './sql-driver.interface.js';

/** How long a fence waits on the snapshot's xmin before it asks who holds the events table. */
const ASK_LOCKS_AFTER_MS = 1_000;
const XID_SPAN = 2n ** 32n;

/**
 * What a reader of all events knows about the gaps below a position: the fence of
 * {@link SqlAllStreamReader}'s proof. A fence is taken at a gap the reader cannot cross yet:
 * `upTo` = the highest position visible in that read, `xid` = a transaction id assigned right
 * after it. Every position up to `upTo` is final once no transaction with an id below `xid` that
 * may have drawn one is still running. Two ways tell:
 * - a later read's snapshot has `pg_snapshot_xmin > xid`: every transaction up to `xid` has ended;
 * - no running transaction with an id below `xid` holds a lock on this schema's events table. A
 *   transaction draws positions only inside an insert into that table, so it takes the lock before
 *   its first draw and keeps it until it ends; and the append functions assign the id before that.
 * The first costs nothing, but any long transaction on the server (another schema, another
 * database, a report) holds xmin back; so a fence still open after a second asks the second.
 */
export class GapFence {
  private fence?: { upTo: number; xid: bigint; final: boolean; takenAt: number };

  constructor(
    private readonly sql: SqlDriver,
    /** The events table, quoted and qualified. */
    private readonly events: string,
  ) {}

  /** True while a fence is up (final or not). */
  get up(): boolean {
    return this.fence !== undefined;
  }

  /** The highest position below which every gap is known to be final; 0 when none is. */
  get finalUpTo(): number {
    return this.fence?.final ? this.fence.upTo : 0;
  }

  /** A read saw snapshot `xmin`: the fence becomes final once every transaction up to its id has ended. */
  observe(xmin: string): void {
    if (this.fence && BigInt(xmin) > this.fence.xid) this.fence.final = true;
  }

  /** True when a fence is up, not final, and old enough that {@link askLocks} is worth its query. */
  get stuck(): boolean {
    return !!this.fence && !this.fence.final && Date.now() - this.fence.takenAt >= ASK_LOCKS_AFTER_MS;
  }

  /** Makes the fence final when no transaction older than it still holds the events table. */
  async askLocks(): Promise<void> {
    const fence = this.fence;
    if (!fence || fence.final) return;
    const { rows } = await this.sql.query<{ xid: string }>(
      `SELECT min(x.transactionid::text::bigint)::text AS xid
         FROM pg_locks AS r JOIN pg_locks AS x ON x.virtualtransaction = r.virtualtransaction AND x.locktype = 'transactionid'
        WHERE r.locktype = 'relation' AND r.relation = '${this.events}'::regclass AND r.mode = 'RowExclusiveLock'
        GROUP BY r.virtualtransaction`,
    );
    if (rows.every((row) => fullXid(BigInt(row.xid), fence.xid) >= fence.xid)) fence.final = true;
    else fence.takenAt = Date.now();
  }

  /** The reader is at `position`: a fence it has passed is dropped. */
  passed(position: number): void {
    if (this.fence && position >= this.fence.upTo) this.fence = undefined;
  }

  /** Puts a fence up at a gap the reader is blocked at, `upTo` being the highest position it saw. */
  async take(upTo: number): Promise<void> {
    const { rows } = await this.sql.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    this.fence = { upTo, xid: BigInt(rows[0].xid), final: false, takenAt: Date.now() };
  }
}

/** A lock's 32-bit transaction id as the 64-bit id nearest `near` (ids in use are never 2^31 apart). */
function fullXid(xid32: bigint, near: bigint): bigint {
  let full = (near / XID_SPAN) * XID_SPAN + xid32;
  if (full > near + XID_SPAN / 2n) full -= XID_SPAN;
  else if (full < near - XID_SPAN / 2n) full += XID_SPAN;
  return full;
}
