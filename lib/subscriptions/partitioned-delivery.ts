import type { StoredProgress } from '../event-store/progress-write.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import { deliveryUnitsOf } from './delivery-units.js';
import type { DeliveryUnit } from './event-delivery.js';
import { type Decide, deliverWithPolicy } from './error-policy.js';
import type { EventDelivery } from './event-delivery.js';
import { FinishedPositions } from './finished-positions.js';
import { type Parking, parkEntryOf } from './parking.js';
import { PartitionScheduler } from './partition-scheduler.js';
import { PassedOverWrite } from './passed-over-write.js';
import { ProgressFlusher } from './progress-flusher.js';

/** What partitioned delivery works with, handed over by the session. */
export interface PartitionedContext {
  lease: SubscriptionLease;
  signal: AbortSignal;
  delivery: EventDelivery;
  parking: Parking;
  concurrency: number;
  /** Events admitted but unfinished before `admit` waits: bounds memory while partitions are busy. */
  maxUnfinished: number;
  transactional: boolean;
  decide: (recorded: RecordedEvent) => Decide;
  failed: (recorded: RecordedEvent, error: unknown, attempt: number) => void;
  acknowledged: (position: number) => void;
}

/** Ends a partition's work when the error policy halts or the session is aborted during a retry delay. */
class Stopped extends Error {
  constructor(readonly outcome: 'halted' | 'interrupted') {
    super(`delivery ${outcome}`);
  }
}

/**
 * Delivery with parallel partitions: events go to a {@link PartitionScheduler} by partition key,
 * {@link FinishedPositions} says how far the checkpoint may move, and a {@link ProgressFlusher}
 * stores it (grouped). Pages keep being admitted while partitions are busy, up to `maxUnfinished`.
 * Pages with nothing to run are acknowledged at once; their progress waits for the next write, up to
 * a second after the last ({@link PassedOverWrite}).
 */
export class PartitionedDelivery {
  private readonly tracker: FinishedPositions;
  private readonly scheduler: PartitionScheduler;
  private readonly flusher: ProgressFlusher;
  private acknowledgedUpTo: number;
  private readonly stored: PassedOverWrite;
  private room?: { promise: Promise<void>; resolve: () => void };
  private passedOverWrite?: NodeJS.Timeout;

  constructor(
    private readonly context: PartitionedContext,
    start: StoredProgress,
  ) {
    this.tracker = new FinishedPositions(start.checkpoint, new Set(start.finished));
    this.scheduler = new PartitionScheduler(context.concurrency);
    this.acknowledgedUpTo = start.checkpoint;
    this.stored = new PassedOverWrite(start.checkpoint);
    this.flusher = new ProgressFlusher(
      () => ({ checkpoint: this.tracker.safe(), finished: this.tracker.finishedAbove() }),
      (write) => context.lease.saveProgress(write),
      (checkpoint) => {
        this.stored.stored(checkpoint);
        this.acknowledge(checkpoint);
      },
    );
  }

  /** True once a partition stopped (halt, abort, failure): admit no more. */
  get stopped(): boolean {
    return this.scheduler.failed !== undefined;
  }

  /**
   * Admits a page in global order, `through` being how far its reader looked (past the page's
   * last event when a filter passed over later ones); resolves when there is room for the next one.
   */
  async admit(page: RecordedEvent[], through: number): Promise<void> {
    let admitted = 0;
    for (const recorded of page) {
      const position = recorded.globalPosition;
      const handled = this.context.delivery.handles(recorded.eventType) && !this.tracker.finishedEarlier(position);
      const units = handled ? deliveryUnitsOf(this.context.delivery, recorded) : [];
      this.tracker.admit(position, units.length);
      admitted += units.length;
      for (const unit of units) this.scheduler.push({ key: unit.key, run: () => this.runUnit(recorded, unit) });
    }
    // Nothing to run up to there: the checkpoint may pass it once the events before are finished.
    if (through > this.tracker.admittedUpTo) this.tracker.admit(through, 0);
    if (admitted) this.requestWrite();
    else this.passOver();
    while (this.tracker.unfinished > this.context.maxUnfinished && !this.stopped) {
      this.room ??= withResolvers();
      await this.room.promise;
    }
  }

  /** Waits for the partitions to finish and the progress to be stored; says how delivery ended. */
  async drain(): Promise<'done' | 'halted' | 'interrupted'> {
    clearTimeout(this.passedOverWrite);
    let outcome: 'done' | 'halted' | 'interrupted' = 'done';
    try {
      await this.scheduler.idle();
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
      outcome = error.outcome;
    }
    await this.flusher.flush();
    return outcome;
  }

  /**
   * A page with nothing to run (every event routed to no unit, or left to another node's slot):
   * acknowledged at once, stored with the next write, or once the last write is
   * a second old ({@link PassedOverWrite}).
   */
  private passOver(): void {
    const safe = this.tracker.safe();
    this.acknowledge(safe);
    const wait = this.stored.wait(safe);
    if (wait === undefined || this.passedOverWrite) return;
    if (wait === 0) return this.requestWrite();
    this.passedOverWrite = setTimeout(() => {
      this.passedOverWrite = undefined;
      if (!this.context.signal.aborted && !this.context.lease.lost) this.flusher.request();
    }, wait).unref();
  }

  /** A write soon; it stores whatever was passed over too, so the deferred one is not needed. */
  private requestWrite(): void {
    clearTimeout(this.passedOverWrite);
    this.passedOverWrite = undefined;
    this.flusher.request();
  }

  private async runUnit(recorded: RecordedEvent, unit: DeliveryUnit): Promise<void> {
    try {
      await this.runOrPark(recorded, unit);
    } catch (error) {
      this.wakeAdmit();
      throw error;
    }
  }

  private async runOrPark(recorded: RecordedEvent, unit: DeliveryUnit): Promise<void> {
    const { lease, parking, transactional, signal } = this.context;
    const position = recorded.globalPosition;
    if (signal.aborted || lease.lost) throw new Stopped('interrupted');
    if (parking.holds(recorded)) {
      await lease.saveProgress({ checkpoint: this.tracker.safe(), finished: this.lastUnitOf(position), park: [parkEntryOf(recorded)] });
      return this.finish(position);
    }
    const work = transactional
      ? () => lease.transaction({ checkpoint: this.tracker.safe(), finished: this.lastUnitOf(position) }, (sql) => unit.run(sql))
      : () => unit.run();
    const outcome = await deliverWithPolicy(work, this.context.decide(recorded), signal, (error, attempt) =>
      this.context.failed(recorded, error, attempt),
    );
    if (outcome.kind === 'halted' || outcome.kind === 'interrupted') throw new Stopped(outcome.kind);
    if (outcome.kind === 'parked') {
      const park = [parkEntryOf(recorded, outcome)];
      await lease.saveProgress({ checkpoint: this.tracker.safe(), finished: this.lastUnitOf(position), park });
      parking.parked(recorded);
    }
    this.finish(position);
  }

  /** The position to record as finished with this unit's write: only when no other unit of its event remains. */
  private lastUnitOf(position: number): number[] {
    return this.tracker.unitsLeft(position) === 1 ? [position] : [];
  }

  private finish(position: number): void {
    this.tracker.finish(position);
    this.requestWrite();
    this.wakeAdmit();
  }

  private wakeAdmit(): void {
    this.room?.resolve();
    this.room = undefined;
  }

  private acknowledge(checkpoint: number): void {
    if (checkpoint <= this.acknowledgedUpTo) return;
    this.acknowledgedUpTo = checkpoint;
    this.context.acknowledged(checkpoint);
  }
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
