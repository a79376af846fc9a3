import type { AllStreamFilter } from '../all-stream-filter.js';
import type { AllStreamReader } from '../event-store.interface.js';
import type { RecordedEvent } from '../recorded-event.js';
import { GapFence } from './gap-fence.js';
import type { SqlDriver } from './sql-driver.interface.js';
import { type EventRow, toRecordedEvent } from './sql-event-rows.js';
import { gapAwareStatement, rangeReadStatement, settledReadStatement } from './sql-filtered-statements.js';
import { filterParams } from './sql-filter-predicate.js';
import type { SqlSchema } from './sql-schema.js';
import type { SettledRanges } from './settled-ranges.js';

/** The fewest positions one read scans (a fresh reader knows nothing of how many will pass). */
const MIN_WINDOW = 1_000;
/** The most positions one read scans: bounds the statement's memory and the time between checkpoints. */
export const MAX_WINDOW = 50_000;

interface RangeRow extends EventRow {
  snapshot_xmin: string;
  open_rows: string | number;
  last_scanned: string | number | null;
}

interface GapAwareRow extends EventRow {
  snapshot_xmin: string;
  floor: string;
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
 * It keeps {@link SqlAllStreamReader}'s proof unchanged by accounting for every position, not only
 * the wanted ones. Behind the head it reads a range of positions (`rangeReadStatement`): the wanted
 * rows of the range and, in the same snapshot, how many rows lie in it above the final fence. When
 * that count equals the span from the fence (or the position) to the highest row, no position in
 * the span is missing, so nothing can still appear below that row and the wanted rows are exactly
 * what the plain reader would have delivered; the reader moves to that row. When a position is
 * missing, or at the head, it reads with `gapAwareStatement`: a window scanned in order with each
 * gap that no final fence covers marked, returning the wanted events before the first such gap; a
 * gap blocks both readers alike and is crossed only under the same fence. Either window grows or
 * shrinks with the share of positions that passed the last time, so a page is usually filled by one
 * read, and behind the head one read costs the server what a hand-written filtered keyset read costs,
 * plus an index-only count. Like the plain reader, it starts at the cut of closed books when its
 * position is below it (the range read then finds a position missing and defers to the careful one).
 *
 * Far behind the head, given {@link SettledRanges}, it first has every position up to the head
 * proven final ({@link SettledHead}: three statements, whatever the range's length). Inside that
 * range no position can still appear, so a gap there is final and neither the count nor the careful
 * scan is needed: each read is the hand-written filtered keyset read, bounded by the range (and by
 * {@link MAX_WINDOW}, so the checkpoint moves while few rows pass). The count matters most on rows
 * written since the last vacuum, where an index-only count still visits each row in the heap.
 * Positions below the cut of closed books read as final gaps there, a window at a time.
 */
export class SqlFilteredReader implements AllStreamReader {
  private readonly fence: GapFence;
  /** Share of positions looked at that passed the filter, as last seen. */
  private density = 0;
  private lastWindow = 0;
  atHead = false;

  constructor(
    private readonly sql: SqlDriver,
    private readonly schema: SqlSchema,
    public position: number,
    private readonly filter: AllStreamFilter,
    private readonly ranges?: SettledRanges,
  ) {
    this.fence = new GapFence(sql, `${schema.quoted}.events`);
  }

  async next(maxCount: number): Promise<RecordedEvent[]> {
    const range = await this.ranges?.ahead(this.position, maxCount);
    if (range) return this.readSettled(range.upTo, maxCount);
    const from = this.position;
    const events = await this.readUnsettled(maxCount);
    this.ranges?.movedOutside(from, this.position, this.atHead, maxCount);
    return events;
  }

  /** The rows that pass, after `position` and up to `upTo`, every position up to which is final. */
  private async readSettled(upTo: number, maxCount: number): Promise<RecordedEvent[]> {
    const from = this.position;
    const bound = Math.min(upTo, from + MAX_WINDOW);
    const statement = settledReadStatement(`${this.schema.quoted}.events`);
    const params = [from, bound, ...filterParams(this.filter), maxCount];
    const { rows } = await this.sql.prepared<EventRow>(`es_read_settled_${this.schema.name}`, statement, params);
    const events = rows.map(toRecordedEvent);
    this.position = events.length === maxCount ? events[events.length - 1].globalPosition : bound;
    this.fence.passed(this.position);
    this.density = events.length / (this.position - from);
    this.atHead = false;
    return events;
  }

  private async readUnsettled(maxCount: number): Promise<RecordedEvent[]> {
    if (this.fence.stuck) await this.fence.askLocks();
    const ranged = this.atHead ? undefined : await this.readRange(maxCount);
    if (ranged) return ranged;
    const first = await this.readCarefully(maxCount);
    // A fresh fence is often passed at once (a rolled-back append): look again before saying "nothing yet".
    return first.events.length === 0 && first.fenced ? (await this.readCarefully(maxCount)).events : first.events;
  }

  /** Positions to look at: enough to fill a page at the last density seen, growing while none pass. */
  private window(maxCount: number): number {
    const wanted = this.density > 0 ? Math.ceil((maxCount / this.density) * 1.25) : this.lastWindow ? this.lastWindow * 4 : maxCount * 4;
    this.lastWindow = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, maxCount, wanted));
    return this.lastWindow;
  }

  private params(window: number, maxCount: number): unknown[] {
    return [this.position, window, this.fence.finalUpTo, ...filterParams(this.filter), maxCount];
  }

  /** The range read; undefined when the range is empty or misses a position above the fence. */
  private async readRange(maxCount: number): Promise<RecordedEvent[] | undefined> {
    const from = this.position;
    const name = `es_read_range_${this.schema.name}`;
    const statement = rangeReadStatement(`${this.schema.quoted}.events`);
    const { rows } = await this.sql.prepared<RangeRow>(name, statement, this.params(this.window(maxCount), maxCount));
    const summary = rows[0];
    this.fence.observe(summary.snapshot_xmin);
    if (summary.last_scanned === null) return undefined;
    const lastScanned = Number(summary.last_scanned);
    const base = Math.max(from, this.fence.finalUpTo);
    if (lastScanned > base && Number(summary.open_rows) !== lastScanned - base) return undefined;
    const events = rows.filter((row) => row.global_position !== null).map(toRecordedEvent);
    this.position = events.length === maxCount ? events[events.length - 1].globalPosition : lastScanned;
    this.fence.passed(this.position);
    this.density = events.length / (this.position - from);
    // Whether rows follow the range is not known here; the next read tells.
    this.atHead = false;
    return events;
  }

  private async readCarefully(maxCount: number): Promise<{ events: RecordedEvent[]; fenced: boolean }> {
    const window = this.window(maxCount);
    const name = `es_read_filtered_${this.schema.name}`;
    const statement = gapAwareStatement(this.schema);
    const { rows } = await this.sql.prepared<GapAwareRow>(name, statement, this.params(window, maxCount));
    const summary = rows[0];
    this.fence.observe(summary.snapshot_xmin);
    this.position = Math.max(this.position, Number(summary.floor));
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
}
