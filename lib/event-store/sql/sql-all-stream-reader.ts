import type { AllStreamReader } from '../event-store.interface.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { RecordedEvent } from '../recorded-event.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './sql-event-rows.js';
import type { SqlSchema } from './sql-schema.js';
import { GapFence } from './gap-fence.js';

/** SQL for the position a read starts after: `after`, or the last position before the cut of closed books. */
export const booksFloor = (schema: SqlSchema, after: string): string =>
  `greatest(${after}::bigint, (SELECT coalesce(max(before_position) - 1, 0) FROM ${schema.quoted}.closed_books))`;

/**
 * Reads all events in global position order without ever skipping one that commits late, and
 * without a global lock.
 *
 * Positions come from a sequence, so a transaction may commit position h while a lower g is still
 * in flight (or was rolled back). The reader delivers only the contiguous run after its position.
 * At a gap it takes a fence: `upTo` = the highest position visible in that read, and `xid` = a
 * transaction id assigned right after that read. A later read whose snapshot has
 * `pg_snapshot_xmin > xid` proves every position <= upTo is final, because:
 * - the append functions (single, and grouped: migration 10) assign their transaction id before
 *   drawing positions, and the sequence hands them out in drawing order, so whoever drew g <= upTo
 *   had its id before upTo was drawn (a group's subtransactions commit only with that id);
 * - upTo was committed before the read, which came before `xid` was assigned, so that id < xid;
 * - xmin > xid means every transaction up to xid has ended and the snapshot sees all they committed.
 * So a gap still missing then is a rolled-back append, skipped for good. `pg_snapshot_xmax` of the
 * first read would NOT do as the bound: it is the newest *completed* id + 1, and the holder of g
 * may have a larger id than every completed one. Assigning an id costs one statement per gap, not
 * per read. A write transaction left open anywhere on the server holds xmin back; so a fence still
 * open after a second is also settled by asking which transactions hold the events table
 * ({@link GapFence}): only one that may have drawn a position then delays a dead gap's skipping.
 *
 * Positions below the cut of closed books are archived, not missing: each read starts at the cut
 * when its position is below it ({@link booksFloor}), so no fence is ever taken at them. Closing
 * the books waited for every transaction on the table, so nothing below the cut can still commit.
 */
export class SqlAllStreamReader implements AllStreamReader {
  private readonly fence: GapFence;
  atHead = false;

  constructor(
    private readonly sql: SqlDriver,
    private readonly schema: SqlSchema,
    public position: number,
  ) {
    this.fence = new GapFence(sql, `${schema.quoted}.events`);
  }

  async next(maxCount: number): Promise<RecordedEvent[]> {
    const first = await this.read(maxCount);
    // A fresh fence is often passed at once (a rolled-back append): look again rather than
    // report "nothing yet" to a caller that stops at the first empty page.
    const delivered = first.delivered.length === 0 && first.fenced ? (await this.read(maxCount)).delivered : first.delivered;
    this.atHead = delivered.length < maxCount;
    return delivered;
  }

  private async read(maxCount: number): Promise<{ delivered: RecordedEvent[]; fenced: boolean }> {
    if (this.fence.stuck) await this.fence.askLocks();
    const { rows } = await this.sql.prepared<EventRow & { snapshot_xmin: string; floor: string }>(
      `es_read_all_${this.schema.name}`,
      `SELECT s.snapshot_xmin, s.floor, e.*
         FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin, ${booksFloor(this.schema, '$1')} AS floor) AS s
         LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM ${this.schema.quoted}.events
            WHERE global_position > s.floor ORDER BY global_position LIMIT $2
         ) AS e ON true`,
      [this.position, maxCount],
    );
    this.fence.observe(rows[0].snapshot_xmin);
    this.position = Math.max(this.position, Number(rows[0].floor));
    const events = rows.filter((row) => row.global_position !== null).map(toRecordedEvent);
    const delivered = this.contiguous(events);
    if (delivered.length) this.position = delivered[delivered.length - 1].globalPosition;
    this.fence.passed(this.position);
    const blocked = events.length > delivered.length;
    if (!blocked || this.fence.up) return { delivered, fenced: false };
    await this.fence.take(events[events.length - 1].globalPosition);
    return { delivered, fenced: true };
  }

  /** The run of events that continues the position, crossing only gaps a final fence covers. */
  private contiguous(events: RecordedEvent[]): RecordedEvent[] {
    const delivered: RecordedEvent[] = [];
    let expected = this.position + 1;
    const finalUpTo = this.fence.finalUpTo;
    for (const event of events) {
      const gapIsFinal = event.globalPosition - 1 <= finalUpTo;
      if (event.globalPosition !== expected && !gapIsFinal) break;
      delivered.push(event);
      expected = event.globalPosition + 1;
    }
    return delivered;
  }
}
