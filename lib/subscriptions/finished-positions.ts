/**
 * Which events of a subscription with parallel partitions have finished, and so how far its
 * checkpoint may move: the safe checkpoint is the highest position below which every event has
 * finished, and the positions finished above it are kept as well.
 *
 * Why a crash never skips an event. Pages are admitted in global order, each event with the number
 * of delivery units it has (0 when the subscription does not handle it, or for the last position a
 * filtered reader looked at without finding an event to deliver; several for a process
 * manager routing it to several process ids). An event is finished once all its units are (handled,
 * skipped, or parked durably). `safe()` is one less than the lowest unfinished admitted position,
 * or the highest admitted position when none is unfinished; every admitted position at or below it
 * is therefore finished, and every position below the first admitted one was finished before (it
 * is at or below the stored checkpoint, or was read and finished by this session). The stored
 * checkpoint is only ever written with a value `safe()` returned earlier, and `safe()` never
 * decreases, so the stored checkpoint never passes an unfinished event. After a crash, the reader
 * restarts after the stored checkpoint: every event above it is read again. Positions between two
 * admitted ones were passed over by a filtered reader, which looked at them: nothing runs for them.
 *
 * Why a crash does not redeliver what finished above the checkpoint. The finished positions above
 * `safe()` are written with every checkpoint write (`finished`, merged by the store with those it
 * has); a new session loads them and counts those events as finished with 0 units. For a
 * transactional projector the unit's own transaction records its position together with the
 * read-model change, so an event's effect and its "finished" mark commit or vanish together:
 * exactly once. For other handlers the mark is written by the next grouped write (one in flight
 * at a time, the next one carrying everything finished meanwhile), so only events that finished
 * in that short window may come again: at-least-once, as for any non-transactional handler.
 */
export class FinishedPositions {
  /** Admitted events with units still running: position -> units left. */
  private readonly open = new Map<number, number>();
  /** Finished positions above the lowest open one. */
  private readonly done = new Set<number>();
  private admitted: number;

  /** `checkpoint`: the stored checkpoint; `finished`: the finished positions stored above it. */
  constructor(
    checkpoint: number,
    private readonly finishedBefore: ReadonlySet<number> = new Set(),
  ) {
    this.admitted = checkpoint;
  }

  /** True when the event finished in an earlier session: it must not run again. */
  finishedEarlier(position: number): boolean {
    return this.finishedBefore.has(position);
  }

  /** The highest position admitted so far. */
  get admittedUpTo(): number {
    return this.admitted;
  }

  /** Admits the next event in global order with `units` delivery units (0: nothing to run). */
  admit(position: number, units: number): void {
    if (position <= this.admitted) throw new Error(`position ${position} admitted out of order (after ${this.admitted})`);
    this.admitted = position;
    if (units > 0) this.open.set(position, units);
  }

  /** One unit of the event at `position` finished. */
  finish(position: number): void {
    const left = (this.open.get(position) ?? 1) - 1;
    if (left > 0) return void this.open.set(position, left);
    this.open.delete(position);
    this.done.add(position);
  }

  /** Units of the event at `position` not finished yet (0 when none). */
  unitsLeft(position: number): number {
    return this.open.get(position) ?? 0;
  }

  /** Units still running or waiting, by event. */
  get unfinished(): number {
    return this.open.size;
  }

  /** The highest position below which every admitted event has finished. */
  safe(): number {
    // Admitted in ascending order, and a Map keeps insertion order: the first key is the lowest.
    const lowest = this.open.keys().next();
    return lowest.done ? this.admitted : lowest.value - 1;
  }

  /** Finished positions above `safe()`, ascending; those at or below it are forgotten. */
  finishedAbove(): number[] {
    const safe = this.safe();
    for (const position of this.done) if (position <= safe) this.done.delete(position);
    return [...this.done].sort((a, b) => a - b);
  }
}
