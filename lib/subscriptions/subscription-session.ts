import type { ParkMode, SubscriptionOptions } from '../decorators/subscription-options.js';
import type { AllStreamFilter } from '../event-store/all-stream-filter.js';
import { resolveResetTarget } from '../event-store/reset-target.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { StoredProgress } from '../event-store/progress-write.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import { decideOnFailure, type ErrorDecision, isErrorDecision } from './error-decision.js';
import type { Decide, ErrorPolicySettings } from './error-policy.js';
import type { EventDelivery } from './event-delivery.js';
import { type Page, PageReadAhead } from './page-read-ahead.js';
import { Parking, type Redeliver } from './parking.js';
import { PartitionedDelivery } from './partitioned-delivery.js';
import { PassedOverWrite } from './passed-over-write.js';
import { type PageOutcome, SequentialDelivery } from './sequential-delivery.js';
import type { WakeUp } from './wake-up.js';

/** Settings of one session, resolved from the subscription and the module options. */
export interface SessionSettings extends ErrorPolicySettings {
  startFrom: NonNullable<SubscriptionOptions['startFrom']>;
  batchSize: number;
  pollInterval: number;
  /** Run projector code in the checkpoint's transaction (SQL stores). */
  transactional: boolean;
  /** Partitions delivered at once; 1 delivers in global order. */
  concurrency: number;
  parkMode: ParkMode;
  /** What the store reads for the subscription: the types it handles, its stream or category. */
  filter: AllStreamFilter;
  /** For one partition of a spread subscription: true for its events; the others are passed over. */
  includes?: (recorded: RecordedEvent) => boolean;
}

/** Everything a session works with; it ends when `signal` aborts or the lease is lost. */
export interface SessionContext {
  lease: SubscriptionLease;
  signal: AbortSignal;
  /** Aborts when the process stops (a part of `signal`): work in hand is finished and checkpointed. */
  stopping: AbortSignal;
  /** The stored progress when just read (with the lease); else the session reads it. */
  progress?: StoredProgress;
  store: EventStore;
  delivery: EventDelivery;
  settings: SessionSettings;
  wakeUp: WakeUp;
  /** Called after each checkpoint move. */
  acknowledged(position: number): void;
  /** Called for every failed attempt at an event. */
  failed: (recorded: RecordedEvent, error: unknown, attempt: number) => void;
  /** Called when a failed event is given up on (skip, park, stop); `byHandler` when `onError` chose it. */
  decided: (recorded: RecordedEvent, decision: ErrorDecision, attempt: number, byHandler: boolean) => void;
  /** True (once) when an operator asked for parked events to be retried or released since the last call. */
  parkedChanged(): boolean;
}

/**
 * Delivery while this process owns a subscription: read pages in global order from the
 * checkpoint, deliver the events the subscription handles, move the checkpoint only after the
 * handler finished (at-least-once). The store reads only the events the subscription handles
 * (its types, its stream or category); those it passed over move the checkpoint too. At
 * concurrency 1 a page is delivered in order ({@link SequentialDelivery}); above, by partition,
 * while the next pages are read ({@link PartitionedDelivery}). Parked events the runner owes are
 * redelivered when it starts, when asked, and on idle polls.
 */
export class SubscriptionSession {
  private position = 0;
  /** At concurrency 1: the checkpoint last stored, and when. */
  private stored = new PassedOverWrite(0);
  private readonly parking: Parking;

  constructor(private readonly context: SessionContext) {
    this.parking = new Parking(context.store, context.lease, context.settings.parkMode, context.failed);
  }

  /** Delivers until the signal aborts or the lease is lost (`'ended'`), or the error policy halts it. */
  async run(): Promise<'halted' | 'ended'> {
    const { store, settings, wakeUp, signal } = this.context;
    const [finished] = await Promise.all([this.startPosition(), this.parking.load()]);
    const reader = store.openAllReader(this.position, settings.filter);
    const { includes } = settings;
    const read = (): Promise<Page> =>
      reader
        .next(settings.batchSize)
        .then((events) => ({ events: includes ? events.filter(includes) : events, through: reader.position, atHead: reader.atHead }));
    const pages = new PageReadAhead(read, () => this.active());
    // The first page is on its way while parked events that are due run (they lie behind the checkpoint).
    let nextPage = pages.take();
    await this.redeliverParked();
    const partitioned =
      settings.concurrency > 1 ? new PartitionedDelivery(this.partitionedContext(), { checkpoint: this.position, finished }) : undefined;
    const sequential = new SequentialDelivery(this.sequentialContext());
    const finishedEarlier = new Set(finished);
    let outcome: PageOutcome = 'done';
    while (this.active() && !partitioned?.stopped) {
      if (this.context.parkedChanged()) await this.redeliverParked();
      const page = await nextPage;
      // The pages after it are read while this one is delivered ({@link PageReadAhead}).
      if (!page.atHead) nextPage = pages.take();
      if (partitioned) await partitioned.admit(page.events, page.through);
      else {
        const relevant = page.events.filter(
          (recorded) => this.context.delivery.handles(recorded.eventType) && !finishedEarlier.has(recorded.globalPosition),
        );
        if (relevant.length) {
          outcome = await sequential.deliverPage(relevant, page.through);
          if (outcome !== 'done') break;
        } else this.acknowledge(page.through);
        // What a delivered page passed over moves the checkpoint too; a page with nothing to run is stored by storePassedOver.
        if (page.through > this.position) await this.checkpoint(page.through);
        await this.storePassedOver(false);
      }
      if (!page.atHead) continue;
      await wakeUp.wait(this.pollWait(), signal, reader.position);
      if (this.mayPark()) await this.redeliverParked();
      nextPage = pages.take();
    }
    if (partitioned) outcome = await partitioned.drain();
    else if (outcome === 'done' && !this.context.lease.lost) await this.storePassedOver(true);
    return outcome === 'halted' ? 'halted' : 'ended';
  }

  /** Reads the checkpoint (with the finished positions above it, and what a reset replays); returns the finished positions. */
  private async startPosition(): Promise<number[]> {
    const { lease, store, settings } = this.context;
    const progress = this.context.progress ?? (await lease.readProgress());
    this.context.delivery.replayWindow?.(progress.replay);
    this.position = progress.checkpoint;
    this.stored = new PassedOverWrite(progress.checkpoint);
    if (this.position === 0 && settings.startFrom !== 'origin' && lease.isNew) {
      const start = await resolveResetTarget(settings.startFrom, store);
      if (start > 0) {
        await this.checkpoint(start);
        return [];
      }
    }
    this.acknowledge(this.position);
    return progress.finished;
  }

  private mayPark(): boolean {
    return this.context.settings.errorPolicy === 'park' || this.context.delivery.onError !== undefined;
  }

  private async redeliverParked(): Promise<void> {
    const { lease, delivery, settings } = this.context;
    const redeliver: Redeliver = async (recorded, resolved) => {
      if (settings.transactional) return lease.transaction(resolved, (sql) => delivery.deliver(recorded, sql));
      await delivery.deliver(recorded);
      await lease.saveProgress(resolved);
    };
    await this.parking.redeliverDue(redeliver, () => this.active());
  }

  private decide(recorded: RecordedEvent): Decide {
    const { delivery, settings } = this.context;
    return async (error, attempt) => {
      const custom = await delivery.onError?.(recorded, error, attempt);
      const decision = decideOnFailure(settings, attempt, custom);
      if (decision.action !== 'retry') this.context.decided(recorded, decision, attempt, isErrorDecision(custom));
      return decision;
    };
  }

  /** What both delivery strategies work with. */
  private sharedContext() {
    const { lease, signal, stopping, delivery, settings, failed } = this.context;
    const decide = (recorded: RecordedEvent) => this.decide(recorded);
    return { lease, signal, stopping, delivery, failed, parking: this.parking, transactional: settings.transactional, decide };
  }

  private sequentialContext() {
    return {
      ...this.sharedContext(),
      checkpoint: (position: number) => this.checkpoint(position),
      acknowledge: (position: number) => {
        this.stored.stored(position);
        this.acknowledge(position);
      },
    };
  }

  private partitionedContext() {
    const { settings } = this.context;
    return {
      ...this.sharedContext(),
      concurrency: settings.concurrency,
      maxUnfinished: settings.batchSize,
      acknowledged: (position: number) => this.acknowledge(position),
    };
  }

  private active(): boolean {
    return !this.context.signal.aborted && !this.context.lease.lost;
  }

  private async checkpoint(position: number): Promise<void> {
    await this.context.lease.saveCheckpoint(position);
    this.stored.stored(position);
    this.acknowledge(position);
  }

  /**
   * Stores the position acknowledged for a page with nothing to run (at concurrency 1), when the
   * last write is a second old ({@link PassedOverWrite}), or when `now`.
   */
  private async storePassedOver(now: boolean): Promise<void> {
    const wait = this.stored.wait(this.position);
    if (wait !== undefined && (now || wait === 0)) await this.checkpoint(this.position);
  }

  /** How long to wait at the head: no longer than a passed-over position may wait to be stored. */
  private pollWait(): number {
    return Math.min(this.context.settings.pollInterval, this.stored.wait(this.position) ?? Infinity);
  }

  private acknowledge(position: number): void {
    if (position < this.position) return;
    this.position = position;
    this.context.acknowledged(position);
  }
}
