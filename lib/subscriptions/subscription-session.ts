import type { SubscriptionOptions } from '../decorators/subscription-options.js';
import { SubscriptionLostError } from '../errors/subscription-lost.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import { deliverWithPolicy, type ErrorPolicySettings, isInfrastructureFailure } from './error-policy.js';
import type { EventDelivery } from './event-delivery.js';
import type { WakeUp } from './wake-up.js';

/** Settings of one session, resolved from the subscription and the module options. */
export interface SessionSettings extends ErrorPolicySettings {
  startFrom: NonNullable<SubscriptionOptions['startFrom']>;
  batchSize: number;
  pollInterval: number;
  /** Run projector code in the checkpoint's transaction (SQL stores). */
  transactional: boolean;
}

/** Everything a session works with; it ends when `signal` aborts or the lease is lost. */
export interface SessionContext {
  lease: SubscriptionLease;
  signal: AbortSignal;
  store: EventStore;
  delivery: EventDelivery;
  settings: SessionSettings;
  wakeUp: WakeUp;
  /** Called after each checkpoint move. */
  acknowledged(position: number): void;
  /** Called for every failed attempt at an event. */
  failed: (recorded: RecordedEvent, error: unknown, attempt: number) => void;
}

type PageOutcome = 'done' | 'halted' | 'interrupted';

/**
 * Delivery while this process owns a subscription: read pages in global order from the
 * checkpoint, deliver the events the subscription handles, move the checkpoint only after the
 * handler finished (at-least-once). Events it does not handle move the checkpoint too.
 */
export class SubscriptionSession {
  private position = 0;

  constructor(private readonly context: SessionContext) {}

  /** Delivers until the signal aborts or the lease is lost (`'ended'`), or the error policy halts it. */
  async run(): Promise<'halted' | 'ended'> {
    const { store, settings, wakeUp, signal } = this.context;
    const reader = store.openAllReader(await this.startPosition());
    const read = () => {
      const page = reader.next(settings.batchSize);
      page.catch(() => undefined); // a read abandoned when the session ends must not go unhandled
      return page;
    };
    let nextPage: Promise<RecordedEvent[]> | undefined = read();
    while (this.active()) {
      const page = nextPage ? await nextPage : [];
      nextPage = undefined;
      if (!page.length) {
        await wakeUp.wait(settings.pollInterval, signal, this.position);
        nextPage = read();
        continue;
      }
      // A full page means more is waiting: read it while this one is delivered. A short one
      // reached the head; what is appended meanwhile announces itself.
      if (page.length === settings.batchSize) nextPage = read();
      const relevant = page.filter((recorded) => this.context.delivery.handles(recorded.eventType));
      const outcome = settings.transactional ? await this.deliverBatch(relevant) : await this.deliverEach(relevant);
      if (outcome === 'halted') return 'halted';
      if (outcome === 'interrupted') break;
      const last = page[page.length - 1].globalPosition;
      if (last > this.position) await this.checkpoint(last);
    }
    return 'ended';
  }

  private async startPosition(): Promise<number> {
    const { lease, store, settings } = this.context;
    this.position = await lease.readCheckpoint();
    if (this.position === 0 && settings.startFrom === 'current' && lease.isNew) {
      const head = await store.headPosition();
      if (head > 0) {
        await this.checkpoint(head);
        return head;
      }
    }
    this.acknowledge(this.position);
    return this.position;
  }

  private active(): boolean {
    return !this.context.signal.aborted && !this.context.lease.lost;
  }

  private assertActive(): void {
    if (this.context.lease.lost) throw new SubscriptionLostError(this.context.lease.name);
    this.context.signal.throwIfAborted();
  }

  private async checkpoint(position: number): Promise<void> {
    await this.context.lease.saveCheckpoint(position);
    this.acknowledge(position);
  }

  private acknowledge(position: number): void {
    this.position = position;
    this.context.acknowledged(position);
  }

  /** One event at a time, the checkpoint moved after each. */
  private async deliverEach(events: RecordedEvent[]): Promise<PageOutcome> {
    for (const recorded of events) {
      if (!this.active()) return 'interrupted';
      const outcome = await this.deliverOne(recorded, () => this.context.delivery.deliver(recorded), 0);
      if (outcome !== 'done') return outcome;
    }
    return 'done';
  }

  private async deliverOne(recorded: RecordedEvent, work: () => Promise<void>, failedAttempts: number): Promise<PageOutcome> {
    const { settings, signal, failed } = this.context;
    const outcome = await deliverWithPolicy(work, settings, signal, (error, attempt) => failed(recorded, error, attempt), failedAttempts);
    if (outcome === 'halted' || outcome === 'interrupted') return outcome;
    if (outcome === 'handled' && settings.transactional) this.acknowledge(recorded.globalPosition);
    else await this.checkpoint(recorded.globalPosition);
    return 'done';
  }

  /**
   * Many events in one transaction with the checkpoint. When one throws, the whole batch rolls
   * back: the events before it are committed again as a batch, the failing one alone under the
   * error policy (its first failure counted), and the rest as a new batch.
   */
  private async deliverBatch(events: RecordedEvent[]): Promise<PageOutcome> {
    if (!events.length) return 'done';
    const { lease, delivery, signal, failed } = this.context;
    let index = 0;
    try {
      await lease.transaction(events[events.length - 1].globalPosition, async (sql) => {
        for (index = 0; index < events.length; index++) {
          this.assertActive();
          await delivery.deliver(events[index], sql);
        }
      });
      this.acknowledge(events[events.length - 1].globalPosition);
      return 'done';
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      if (signal.aborted) return 'interrupted';
      failed(events[index], error, 1);
    }
    const before = await this.deliverBatch(events.slice(0, index));
    if (before !== 'done') return before;
    const failing = events[index];
    const single = () => lease.transaction(failing.globalPosition, (sql) => delivery.deliver(failing, sql));
    const outcome = await this.deliverOne(failing, single, 1);
    return outcome === 'done' ? this.deliverBatch(events.slice(index + 1)) : outcome;
  }
}
