import type { ProgressWrite } from '../event-store/progress-write.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import { SubscriptionLostError } from '../errors/subscription-lost.error.js';
import { type Decide, deliverWithPolicy, isInfrastructureFailure, type PriorFailure } from './error-policy.js';
import type { EventDelivery } from './event-delivery.js';
import { type Parking, parkEntryOf } from './parking.js';

/** How delivering a page ended. */
export type PageOutcome = 'done' | 'halted' | 'interrupted';

/** What sequential delivery works with, handed over by the session. */
export interface SequentialContext {
  lease: SubscriptionLease;
  signal: AbortSignal;
  /** Aborts when the process stops (a part of `signal`): a batch then commits what it delivered so far. */
  stopping: AbortSignal;
  delivery: EventDelivery;
  parking: Parking;
  /** Projector code runs in the checkpoint's transaction (SQL stores). */
  transactional: boolean;
  decide: (recorded: RecordedEvent) => Decide;
  failed: (recorded: RecordedEvent, error: unknown, attempt: number) => void;
  /** Moves the checkpoint (not transactional) and acknowledges it. */
  checkpoint: (position: number) => Promise<void>;
  /** Acknowledges a checkpoint already stored. */
  acknowledge: (position: number) => void;
}

/**
 * Delivery at concurrency 1, in global order. Events go one at a time, the checkpoint moved after
 * each; or, for transactional projectors and `@OnBatch` methods, many at once with the checkpoint
 * (one transaction on SQL stores). When a batch throws, it rolls back: for `@On` methods the events
 * before the failing one are committed again as a batch, the failing one alone under the error
 * policy (its first failure counted), and the rest as a new batch; an `@OnBatch` method, which
 * cannot say which event failed, gets the page again one event at a time under the error policy.
 * A batch interrupted by the process stopping commits the events it delivered, so the next owner
 * goes on after them instead of doing them again.
 */
export class SequentialDelivery {
  constructor(private readonly context: SequentialContext) {}

  /**
   * Delivers `events`, the page of a reader that looked `through` that position: once the last
   * event is done, the checkpoint written with it is `through`, so a page costs one write even
   * when a filter passed over the events after its last.
   */
  deliverPage(events: RecordedEvent[], through = events.at(-1)?.globalPosition ?? 0): Promise<PageOutcome> {
    const { transactional, delivery } = this.context;
    return transactional || delivery.deliverMany ? this.deliverBatch(events, through) : this.deliverEach(events, through);
  }

  private async deliverEach(events: RecordedEvent[], through: number): Promise<PageOutcome> {
    const { transactional, lease, delivery } = this.context;
    for (const [index, recorded] of events.entries()) {
      if (!this.active()) return 'interrupted';
      const upTo = index === events.length - 1 ? Math.max(through, recorded.globalPosition) : recorded.globalPosition;
      const work = transactional ? () => lease.transaction(upTo, (sql) => delivery.deliver(recorded, sql)) : () => delivery.deliver(recorded);
      const outcome = this.context.parking.holds(recorded) ? await this.hold(recorded, upTo) : await this.deliverOne(recorded, work, undefined, upTo);
      if (outcome !== 'done') return outcome;
    }
    return 'done';
  }

  private async hold(recorded: RecordedEvent, upTo: number): Promise<PageOutcome> {
    await this.commit({ checkpoint: upTo, park: [parkEntryOf(recorded)] });
    return 'done';
  }

  /** Delivers one event under the error policy; `upTo` is the checkpoint its success allows. */
  private async deliverOne(
    recorded: RecordedEvent,
    work: () => Promise<void>,
    prior?: PriorFailure,
    upTo = recorded.globalPosition,
  ): Promise<PageOutcome> {
    const { signal, failed, transactional, parking } = this.context;
    const outcome = await deliverWithPolicy(work, this.context.decide(recorded), signal, (error, attempt) => failed(recorded, error, attempt), prior);
    if (outcome.kind === 'halted' || outcome.kind === 'interrupted') return outcome.kind;
    if (outcome.kind === 'parked') {
      await this.commit({ checkpoint: upTo, park: [parkEntryOf(recorded, outcome)] });
      parking.parked(recorded);
    } else if (outcome.kind === 'handled' && transactional) this.context.acknowledge(upTo);
    else await this.context.checkpoint(upTo);
    return 'done';
  }

  private async deliverBatch(events: RecordedEvent[], through: number): Promise<PageOutcome> {
    if (!events.length) return 'done';
    const { delivery, signal, failed, parking } = this.context;
    const runnable = events.filter((recorded) => !parking.holds(recorded));
    let index = 0;
    let firstFailure: unknown;
    try {
      const delivered = await this.commitBatch(events, runnable, through, async (sql) => {
        this.assertActive();
        if (delivery.deliverMany) {
          if (runnable.length) await delivery.deliverMany(runnable, sql);
          return runnable.length;
        }
        for (index = 0; index < runnable.length; index++) {
          if (index > 0 && this.stopping()) return index;
          this.assertActive();
          await delivery.deliver(runnable[index], sql);
        }
        return runnable.length;
      });
      return delivered < runnable.length ? 'interrupted' : 'done';
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      if (signal.aborted) return 'interrupted';
      if (delivery.deliverMany) return this.deliverEach(events, through);
      failed(runnable[index], error, 1);
      firstFailure = error;
    }
    const failing = runnable[index];
    const earlier = events.filter((recorded) => recorded.globalPosition < failing.globalPosition);
    const before = await this.deliverBatch(earlier, earlier.at(-1)?.globalPosition ?? 0);
    if (before !== 'done') return before;
    const single = () => this.commit({ checkpoint: failing.globalPosition }, (sql) => delivery.deliver(failing, sql));
    const outcome = await this.deliverOne(failing, single, { error: firstFailure, attempts: 1 });
    if (outcome !== 'done') return outcome;
    const later = events.filter((recorded) => recorded.globalPosition > failing.globalPosition);
    return later.length ? this.deliverBatch(later, through) : 'done';
  }

  /** Runs `work` and writes `write` with it: in one transaction when transactional; acknowledges the checkpoint. */
  private async commit(write: ProgressWrite, work?: (sql?: SqlExecutor) => Promise<unknown>): Promise<void> {
    const { transactional, lease } = this.context;
    if (transactional && work) await lease.transaction(write, work);
    else {
      await work?.();
      await lease.saveProgress(write);
    }
    this.context.acknowledge(write.checkpoint);
  }

  /**
   * Runs `work`, which delivers `runnable` (of `events`) and says how many it delivered, and writes
   * the progress as far as that (`through` when all were): in one transaction when transactional;
   * acknowledges the checkpoint.
   */
  private async commitBatch(
    events: RecordedEvent[],
    runnable: RecordedEvent[],
    through: number,
    work: (sql?: SqlExecutor) => Promise<number>,
  ): Promise<number> {
    const { transactional, lease, parking } = this.context;
    const writeFor = (count: number) => batchWrite(events, count < runnable.length ? runnable[count].globalPosition : Infinity, through, parking);
    let count: number;
    if (transactional) count = await lease.transaction(writeFor, work);
    else {
      count = await work();
      await lease.saveProgress(writeFor(count));
    }
    this.context.acknowledge(writeFor(count).checkpoint);
    return count;
  }

  private active(): boolean {
    return !this.context.signal.aborted && !this.context.lease.lost;
  }

  /** The process is stopping while the lease still holds: a batch ends after the event in hand. */
  private stopping(): boolean {
    return this.context.stopping.aborted && !this.context.lease.lost;
  }

  private assertActive(): void {
    if (this.context.lease.lost) throw new SubscriptionLostError(this.context.lease.name);
    this.context.signal.throwIfAborted();
  }
}

/**
 * The write of a batch of `events` delivered up to (not including) position `upTo`: the checkpoint
 * just below it (`through`, how far the page was read, when it is past them all), with the held
 * events it covers parked.
 */
function batchWrite(events: RecordedEvent[], upTo: number, through: number, parking: Parking): ProgressWrite {
  const covered = events.filter((recorded) => recorded.globalPosition < upTo);
  const park = covered.filter((recorded) => parking.holds(recorded)).map((recorded) => parkEntryOf(recorded));
  return { checkpoint: upTo === Infinity ? Math.max(through, events[events.length - 1].globalPosition) : upTo - 1, park };
}
