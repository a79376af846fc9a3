import type { GroupedOutcome } from './sql-append-group.js';
import type { SqlDriver } from './sql-driver.interface.js';
import { addPartitions, isMissingPartition, isPartitioned, lastDrawn, layoutLockKey, partitionEnd } from './event-partitions.js';
import { partitionEvents } from './partition-events.js';
import type { SqlSchema } from './sql-schema.js';

/** Times an append that met the end of the ranges is sent, ranges added before each retry. */
const ATTEMPTS = 5;

/**
 * Keeps partitions ahead of the appends of one store (see `event-partitions.ts` for why and how).
 * It learns the layout at start-up and again whenever an append meets the end of the ranges, so a
 * node started before the store was converted begins keeping ranges after its first such append.
 */
export class PartitionKeeper {
  private layout?: { end: number; rangeSize: number };
  private ahead?: Promise<void>;
  /** The highest position this node saw drawn, and the events of its appends in flight. */
  private lastSeen = 0;
  private pending = 0;
  /**
   * Positions that this node's refused appends may have drawn since the last drawn was read: an
   * append refused after drawing (a duplicate event id, a command recorded meanwhile) leaves them
   * used, and counting them lets the next append find room instead of a gap and a second try.
   */
  private refused = 0;

  constructor(
    private readonly driver: SqlDriver,
    private readonly schema: SqlSchema,
    /** `partitioning.rangeSize`; undefined: the store's last range size, and a plain store stays plain. */
    private readonly rangeSize?: number,
  ) {}

  /** At start-up: partitions a new, empty store when asked to, and adds ranges ahead of the sequence. */
  async open(): Promise<void> {
    if (this.rangeSize !== undefined && !(await isPartitioned(this.driver, this.schema))) {
      await partitionEvents(this.driver, this.schema, { rangeSize: this.rangeSize, emptyOnly: true });
    }
    await this.extend(0);
  }

  /** After an append ending at `position`: ranges are added once it is within half a range of their end. */
  appended(position: number): void {
    this.lastSeen = Math.max(this.lastSeen, position);
    const layout = this.layout;
    if (!layout || this.ahead || position + layout.rangeSize / 2 < layout.end) return;
    this.ahead = this.extend(0)
      .catch(() => undefined)
      .finally(() => (this.ahead = undefined));
  }

  /** Lets ranges being added in the background finish, so the store can close its connections. */
  async close(): Promise<void> {
    await this.ahead;
  }

  /**
   * Runs an append of `positions` events: first adds ranges when this node's appends in flight may
   * reach their end (a refused append would leave its positions as gaps), then runs it again after
   * adding ranges while it meets their end anyway (appends of other nodes drew the room).
   */
  async retrying<T>(positions: number, append: () => Promise<T>): Promise<T> {
    return this.withRoom(positions, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await append();
        } catch (error) {
          if (!isMissingPartition(error)) {
            this.refused += positions;
            throw error;
          }
          if (attempt === ATTEMPTS) throw error;
          await this.extend(positions);
        }
      }
    });
  }

  /** {@link retrying} for a group of appends: only those that met the end go again. */
  retryingGroup<T>(items: T[], positions: (item: T) => number, run: (items: T[]) => Promise<GroupedOutcome[]>): Promise<GroupedOutcome[]> {
    const total = items.reduce((sum, item) => sum + positions(item), 0);
    return this.withRoom(total, () => this.retryGroup(items, positions, run));
  }

  private async withRoom<T>(positions: number, append: () => Promise<T>): Promise<T> {
    this.pending += positions;
    try {
      if (this.layout && this.lastSeen + this.refused + this.pending >= this.layout.end) await this.extend(this.pending);
      return await append();
    } finally {
      this.pending -= positions;
    }
  }

  /**
   * Never throws once `run` has answered: the appends of the group that committed must reach their
   * callers as done, since a caller told otherwise (or a batcher trying each again alone) would
   * append them a second time. Ranges that cannot be added fail only the appends that needed them.
   */
  private async retryGroup<T>(items: T[], positions: (item: T) => number, run: (items: T[]) => Promise<GroupedOutcome[]>): Promise<GroupedOutcome[]> {
    const outcomes = await run(items);
    this.learn(items, outcomes, positions);
    for (let attempt = 2; attempt <= ATTEMPTS; attempt++) {
      const again = outcomes.flatMap((outcome, i) => ('error' in outcome && isMissingPartition(outcome.error) ? [i] : []));
      if (!again.length) break;
      const failed = await this.extend(again.reduce((sum, i) => sum + positions(items[i]), 0)).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (failed) {
        again.forEach((index) => (outcomes[index] = failed));
        break;
      }
      const retrying = again.map((i) => items[i]);
      const retried = await run(retrying);
      this.learn(retrying, retried, positions);
      again.forEach((index, j) => (outcomes[index] = retried[j]));
    }
    return outcomes;
  }

  /** What a group's answer says of the positions drawn; at once, before its appends leave {@link pending}. */
  private learn<T>(items: T[], outcomes: GroupedOutcome[], positions: (item: T) => number): void {
    outcomes.forEach((outcome, i) => {
      if ('result' in outcome) this.lastSeen = Math.max(this.lastSeen, outcome.result.globalPosition);
      else if (!isMissingPartition(outcome.error)) this.refused += positions(items[i]);
    });
  }

  /**
   * Adds ranges until one takes the position `positions` + a range past the last drawn, and learns
   * the layout once they are committed: an end learnt before the commit would let an append skip
   * making room and meet a range no other session can see yet.
   */
  private async extend(positions: number): Promise<void> {
    const layout = await this.driver.transaction(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [layoutLockKey(this.schema)]);
      if (!(await isPartitioned(sql, this.schema))) return undefined;
      const rangeSize = this.rangeSize ?? (await partitionEnd(sql, this.schema)).lastSize;
      const last = await lastDrawn(sql, this.schema);
      this.lastSeen = Math.max(this.lastSeen, last);
      this.refused = 0;
      return { end: await addPartitions(sql, this.schema, rangeSize, last + positions + rangeSize), rangeSize };
    });
    if (layout && (!this.layout || layout.end >= this.layout.end)) this.layout = layout;
  }
}
