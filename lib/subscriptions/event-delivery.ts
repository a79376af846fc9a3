import type { EventSerializer } from '../events/event-serializer.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { isReplay, type ReplayWindow } from '../event-store/progress-write.js';
import { DispatchOrigin, type OriginDispatcher } from './dispatch-origin.js';
import { type EventContext, eventContextOf, storedEventContextOf } from './event-context.js';
import { eventTypesOf, type SubscriptionDefinition } from './subscription-definition.js';

/** One piece of work for an event: its partition key and what to run. */
export interface DeliveryUnit {
  key: string;
  run(sql?: SqlExecutor): Promise<void>;
}

/** Hands stored events to one subscription's code. */
export interface EventDelivery {
  /** True when the subscription has code for this stored type; other events are passed over. */
  handles(eventType: string): boolean;
  /** Every stored type name {@link handles} is true for: the store reads only those for the subscription. */
  eventTypes(): string[];
  /** The work `recorded` makes, one unit per partition it belongs to (parallel partitions run units). */
  units(recorded: RecordedEvent): DeliveryUnit[];
  /** Revives the event and runs the subscription's code on it; `sql` is the projector's transaction. */
  deliver(recorded: RecordedEvent, sql?: SqlExecutor): Promise<void>;
  /** Runs the subscription's code on several events at once (an `@OnBatch` method), when it has such code. */
  deliverMany?(events: RecordedEvent[], sql?: SqlExecutor): Promise<void>;
  /** The decision of the subscription's own `onError` method, if it has one (else undefined). */
  onError?(recorded: RecordedEvent, error: unknown, attempt: number): Promise<unknown>;
  /** Which events a reset made the subscription deliver again (`EventContext.replaying`); told before each session delivers. */
  replayWindow?(window: ReplayWindow | undefined): void;
}

/**
 * Delivery to the `@On` (or `@OnBatch`) methods of an event handler or projector. Commands the
 * handler dispatches through its context come from a {@link DispatchOrigin} per delivery; a strong
 * subscription also runs its handler inside that origin, so that commands it dispatches through an
 * injected `CommandGateway` do not wait for it either (the wait could never end).
 */
export class HandlerDelivery implements EventDelivery {
  private readonly enters: boolean;
  private replay?: ReplayWindow;

  constructor(
    private readonly definition: SubscriptionDefinition,
    private readonly serializer: EventSerializer,
    private readonly dispatcher?: OriginDispatcher,
  ) {
    this.enters = definition.metadata.consistency === 'strong';
    if (definition.batch) this.deliverMany = (events, sql) => this.runBatch(events, sql);
    if (definition.onError) this.onError = (recorded, error, attempt) => this.askOnError(recorded, error, attempt);
  }

  readonly deliverMany?: EventDelivery['deliverMany'];
  readonly onError?: EventDelivery['onError'];

  handles(eventType: string): boolean {
    return this.definition.handlers.has(eventType) || !!this.definition.batch?.eventTypes.has(eventType);
  }

  eventTypes(): string[] {
    return [...eventTypesOf(this.definition)];
  }

  replayWindow(window: ReplayWindow | undefined): void {
    this.replay = window;
  }

  async deliver(recorded: RecordedEvent, sql?: SqlExecutor): Promise<void> {
    if (this.definition.batch) return this.runBatch([recorded], sql);
    const event = this.serializer.deserialize(recorded);
    const handler = this.definition.handlers.get(recorded.eventType)!;
    const origin = this.originOf([recorded]);
    const context = this.contextOf(recorded, sql, origin);
    await (this.enters ? origin.enter(() => handler(event, context)) : handler(event, context));
  }

  /** One unit, in the partition `partitionBy` gives the revived event, or else its stream. */
  units(recorded: RecordedEvent): DeliveryUnit[] {
    const { partitionBy } = this.definition.metadata;
    const key = partitionBy ? String(partitionBy(this.serializer.deserialize(recorded), storedEventContextOf(recorded))) : recorded.streamId;
    return [{ key, run: (sql) => this.deliver(recorded, sql) }];
  }

  private async runBatch(events: RecordedEvent[], sql?: SqlExecutor): Promise<void> {
    const items = events.map((recorded) => ({
      event: this.serializer.deserialize(recorded),
      context: this.contextOf(recorded, sql, this.originOf([recorded])),
    }));
    const run = () => this.definition.batch!.handler(items, { sql });
    await (this.enters ? this.originOf(events).enter(run) : run());
  }

  private originOf(events: RecordedEvent[]): DispatchOrigin {
    return DispatchOrigin.of(this.definition.metadata.name, events);
  }

  private contextOf(recorded: RecordedEvent, sql: SqlExecutor | undefined, origin: DispatchOrigin): EventContext {
    const dispatcher = this.dispatcher;
    const dispatch: EventContext['dispatch'] | undefined = dispatcher && ((command, options) => dispatcher.dispatchFrom(origin, command, options));
    return eventContextOf(recorded, sql, dispatch, isReplay(this.replay, recorded.globalPosition));
  }

  /** A hook that throws (or cannot even revive the event) leaves the decision to the static policy. */
  private async askOnError(recorded: RecordedEvent, error: unknown, attempt: number): Promise<unknown> {
    try {
      const context = eventContextOf(recorded, undefined, undefined, isReplay(this.replay, recorded.globalPosition));
      return await this.definition.onError!(error, this.serializer.deserialize(recorded), context, attempt);
    } catch {
      return undefined;
    }
  }
}
