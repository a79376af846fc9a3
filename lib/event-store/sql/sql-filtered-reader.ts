import type { AllStreamFilter } from '../all-stream-filter.js';
import type { AllStreamReader } from '../event-store.interface.js';
import type { RecordedEvent } from '../recorded-event.js';
import { GapFence } from './gap-fence.js';
import type { SqlDriver } from './sql-driver.interface.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './sql-event-rows.js';
import { filterParams, filterPredicate } from './sql-filter-predicate.js';
import type { SqlSchema } from './sql-schema.js';

/** The fewest rows one read scans (a fresh reader knows nothing of how many will pass). */
const MIN_WINDOW = 1_000;
/** The most rows one read scans: bounds the statement's memory and the time between checkpoints. */
export const MAX_WINDOW = 50_000;

interface FilteredRow extends EventRow {
  snapshot_xmin: string;
  scanned: string | number;
  last_scanned: string | number | null;
  last_open: string | number | null;
  open_rows: string | number;
  open_wanted: string | number;
}

/**
 * Reads, in global order, only the events that pass a filter: the database picks them, so the
 * rest are neither shipped nor decoded, and `position` moves over them (how far the reader has
 * looked), so a checkpoint taken from it records that too.
 *
 * It keeps {@link SqlAllStreamReader}'s proof unchanged by looking at every position, not only
 * the wanted ones: one statement scans a window of positions after `position` in order, marks
 * each gap that no final fence covers, and returns the wanted events before the first such gap,
 * with how far that open run reaches. Skipped (unwanted) rows are committed rows the snapshot saw,
 * exactly as the plain reader would have seen and passed them; a gap blocks both readers alike and
 * is crossed only under the same fence. The window grows or shrinks with the share of rows that
 * passed the last time, so a page is usually filled by one scan; scanning the window costs the
 * server what a hand-written keyset read with the same filter costs.
 */
export class SqlFilteredReader implements AllStreamReader {
  private readonly fence: GapFence;
  /** Share of scanned rows that passed the filter, as last seen. */
  private density = 0;
  atHead = false;

  constructor(
    private readonly sql: SqlDriver,
    private readonly schema: SqlSchema,
    public position: number,
    private readonly filter: AllStreamFilter,
  ) {
    this.fence = new GapFence(sql, `${schema.quoted}.events`);
  }

  async next(maxCount: number): Promise<RecordedEvent[]> {
    const first = await this.read(maxCount);
    // A fresh fence is often passed at once (a rolled-back append): look again before saying "nothing yet".
    return first.events.length === 0 && first.fenced ? (await this.read(maxCount)).events : first.events;
  }

  private window(maxCount: number): number {
    const wanted = this.density > 0 ? Math.ceil((maxCount / this.density) * 1.25) : maxCount * 4;
    return Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, maxCount, wanted));
  }

  private async read(maxCount: number): Promise<{ events: RecordedEvent[]; fenced: boolean }> {
    if (this.fence.stuck) await this.fence.askLocks();
    const window = this.window(maxCount);
    const { rows } = await this.sql.prepared<FilteredRow>(`es_read_filtered_${this.schema.name}`, this.statement(), [
      this.position,
      window,
      this.fence.finalUpTo,
      ...filterParams(this.filter),
      maxCount,
    ]);
    const summary = rows[0];
    this.fence.observe(summary.snapshot_xmin);
    const events = rows.filter((row) => row.global_position !== null).map(toRecordedEvent);
    const scanned = Number(summary.scanned);
    const lastOpen = summary.last_open === null ? this.position : Number(summary.last_open);
    const full = events.length === maxCount;
    this.position = full ? events[events.length - 1].globalPosition : Math.max(this.position, lastOpen);
    this.fence.passed(this.position);
    if (Number(summary.open_rows)) this.density = Number(summary.open_wanted) / Number(summary.open_rows);
    const blocked = !full && summary.last_scanned !== null && lastOpen < Number(summary.last_scanned);
    this.atHead = !full && (blocked || scanned < window);
    if (!blocked || this.fence.up) return { events, fenced: false };
    await this.fence.take(Number(summary.last_scanned));
    return { events, fenced: true };
  }

  /**
   * $1 position, $2 window, $3 the final fence's reach, $4 types, $5 stream, $6 stream prefix,
   * $7 page size. `gap`: a hole before this row that reaches above the final fence; `open`: the
   * rows before the first such hole.
   */
  private statement(): string {
    const events = `${this.schema.quoted}.events`;
    return `WITH scanned AS MATERIALIZED (
        SELECT global_position AS position,
               ${filterPredicate(4)} AS wanted,
               global_position - lag(global_position, 1, $1::bigint) OVER (ORDER BY global_position) > 1
                 AND global_position - 1 > $3::bigint AS gap
          FROM ${events} WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2
      ), open AS (
        SELECT position, wanted FROM (SELECT position, wanted, bool_or(gap) OVER (ORDER BY position) AS blocked FROM scanned) AS s
         WHERE NOT blocked
      ), page AS (
        SELECT position FROM open WHERE wanted ORDER BY position LIMIT $7
      )
      SELECT x.*, e.* FROM (
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin,
               (SELECT count(*) FROM scanned) AS scanned,
               (SELECT max(position) FROM scanned) AS last_scanned,
               (SELECT max(position) FROM open) AS last_open,
               (SELECT count(*) FROM open) AS open_rows,
               (SELECT count(*) FROM open WHERE wanted) AS open_wanted
      ) AS x LEFT JOIN LATERAL (
        SELECT ${EVENT_COLUMNS} FROM ${events} WHERE global_position IN (SELECT position FROM page) ORDER BY global_position
      ) AS e ON true`;
  }
}
