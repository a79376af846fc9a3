import { AsyncLocalStorage } from 'node:async_hooks';
import type { DispatchOptions } from '../decorators/dispatch-options.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { deterministicUuid } from '../util/deterministic-uuid.js';

const current = new AsyncLocalStorage<DispatchOrigin>();

/**
 * A subscription handling one delivery, as the origin of the commands it dispatches. Such a
 * command never waits for that subscription (it cannot pass the event it is handling before the
 * command returns), and gets an id derived from the subscription, the delivery's events and the
 * command's ordinal in the delivery, so the same command sent again by a retried delivery is
 * recognised by the command layer and takes effect once.
 */
export class DispatchOrigin {
  private dispatched = 0;

  private constructor(
    readonly subscription: string,
    private readonly eventIds: string[],
    /** What the commands were caused by, and the conversation they belong to. */
    readonly causationId: string,
    readonly correlationId: string,
  ) {}

  /** The origin of commands dispatched while `subscription` handles `events` (one, or a batch). */
  static of(subscription: string, events: RecordedEvent[]): DispatchOrigin {
    const last = events[events.length - 1];
    return new DispatchOrigin(
      subscription,
      events.map((e) => e.eventId),
      last.eventId,
      last.correlationId ?? last.eventId,
    );
  }

  /**
   * The origin of the caller, when it runs inside {@link DispatchOrigin.enter}. Only strong
   * subscriptions enter one: on Node 20 the first context entered slows every await of the
   * process, which applications without strong subscriptions should not pay; other handlers
   * reach the same behaviour through `context.dispatch`.
   */
  static current(): DispatchOrigin | undefined {
    return current.getStore();
  }

  /** Runs `work` with this origin as {@link DispatchOrigin.current}. */
  enter<T>(work: () => T): T {
    return current.run(this, work);
  }

  /** The id of the next command of this delivery: the same on every attempt of the delivery. */
  nextCommandId(): string {
    return deterministicUuid(this.subscription, 'command', ...this.eventIds, this.dispatched++);
  }
}

/** Dispatches a command on behalf of an origin; the command gateway implements it. */
export interface OriginDispatcher {
  dispatchFrom<R = unknown>(origin: DispatchOrigin | undefined, command: object, options?: DispatchOptions): Promise<R>;
}

/** Injection token of the {@link OriginDispatcher}. */
export const OriginDispatcher = Symbol('OriginDispatcher');
