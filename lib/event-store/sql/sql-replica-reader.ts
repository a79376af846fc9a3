import type { AllStreamFilter } from '../all-stream-filter.js';
import type { AllStreamReader } from '../event-store.interface.js';
import type { RecordedEvent } from '../recorded-event.js';
import { MAX_WINDOW } from './sql-filtered-reader.js';
import { settledReadStatement } from './sql-filtered-statements.js';
import { filterParams } from './sql-filter-predicate.js';
import { type EventRow, toRecordedEvent } from './sql-event-rows.js';
import type { SqlReplica } from './sql-replica.js';
import type { SqlSchema } from './sql-schema.js';
import type { SettledRange } from './settled-head.js';
import type { SettledRanges } from './settled-ranges.js';

/**
 * Reads all events (or those a filter passes) in global order, from a read replica while far
 * behind the head and from the primary near it, never skipping or repeating an event when it
 * moves between them.
 *
 * A standby lags, and it cannot see the primary's transactions in flight, so the positions it
 * lacks are not told apart from gaps that are final. It is asked only about positions that are
 * final on the primary, once it holds all of them:
 * - {@link SettledHead} proves on the primary that every position <= P is final (committed or
 *   rolled back for good, {@link SqlAllStreamReader}'s fence argument), then reads the WAL insert
 *   position L. Every transaction that held a position <= P had ended before L was read, so its
 *   commit record lies below L.
 * - A standby replays a prefix of the primary's WAL. Once its replay position is >= L, a snapshot
 *   taken there sees every commit below L: its rows at positions <= P are exactly the primary's
 *   rows there, now and for ever (events are never changed or removed). The check and the read run
 *   in one transaction on one connection ({@link SqlReplica.readReplayed}), so the snapshot is
 *   taken after that replay: a standby restarted in between ends the connection instead.
 * - The replica is read only in `(position, P]`, in order: a full page moves `position` to its last
 *   event, a shorter one to the bound it read up to, below which it returned every event (that the
 *   filter passes). Nothing in `(position, P]` is missed, nothing at or below `position` comes again.
 * - A range is used only while `position < P`; one proven late (its proof waited on an open
 *   transaction while the reader went on on the primary) is dropped once the reader nears it.
 * - Every other page comes from a primary reader opened at exactly `position` (or kept, when it is
 *   still there), whose own proof then holds from that point. So each page, from whichever side,
 *   continues at the same position, and the move back and forth is exact.
 *
 * A reader certifies while more than `minLag` events behind the head ({@link SettledRanges}); nearer,
 * it reads the primary and looks again only after moving `minLag` positions (at least a page) there
 * without reaching the head. When the replica has not replayed L yet, or is left aside after a failure, that page
 * comes from the primary: nothing ever waits on the replica.
 */
export class SqlReplicaReader implements AllStreamReader {
  atHead = false;
  private primary?: AllStreamReader;

  constructor(
    private readonly replica: SqlReplica,
    private readonly ranges: SettledRanges,
    private readonly schema: SqlSchema,
    public position: number,
    private readonly filter: AllStreamFilter | undefined,
    private readonly openPrimary: (position: number) => AllStreamReader,
  ) {}

  async next(maxCount: number): Promise<RecordedEvent[]> {
    for (;;) {
      const events = await this.step(maxCount);
      // A filtered reader may answer "nothing passed, read on"; a plain one answers empty only at the head.
      if (events.length || this.atHead || this.filter) return events;
    }
  }

  private async step(maxCount: number): Promise<RecordedEvent[]> {
    const range = await this.ranges.ahead(this.position, maxCount, this.replica.usable);
    const fromReplica = range && (await this.readReplica(range, maxCount));
    return fromReplica ?? this.readPrimary(maxCount);
  }

  private async readReplica(range: SettledRange, maxCount: number): Promise<RecordedEvent[] | undefined> {
    const bound = this.filter ? Math.min(range.upTo, this.position + MAX_WINDOW) : range.upTo;
    const rows = await this.replica.readReplayed<EventRow>(range.lsn, settledReadStatement(`${this.schema.quoted}.events`), [
      this.position,
      bound,
      ...filterParams(this.filter),
      maxCount,
    ]);
    if (!rows) return undefined;
    const events = rows.map(toRecordedEvent);
    this.position = events.length === maxCount ? events[events.length - 1].globalPosition : bound;
    this.atHead = false;
    return events;
  }

  private async readPrimary(maxCount: number): Promise<RecordedEvent[]> {
    if (this.primary?.position !== this.position) this.primary = this.openPrimary(this.position);
    const from = this.position;
    const events = await this.primary.next(maxCount);
    this.position = this.primary.position;
    this.atHead = this.primary.atHead;
    this.ranges.movedOutside(from, this.position, this.atHead, maxCount);
    return events;
  }
}
