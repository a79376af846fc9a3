import type { EventSerializer } from '../events/event-serializer.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { eventContextOf } from './event-context.js';
import type { SubscriptionDefinition } from './subscription-definition.js';

/** Hands stored events to one subscription's code. */
export interface EventDelivery {
  /** True when the subscription has code for this stored type; other events are passed over. */
  handles(eventType: string): boolean;
  /** Revives the event and runs the subscription's code on it; `sql` is the projector's transaction. */
  deliver(recorded: RecordedEvent, sql?: SqlExecutor): Promise<void>;
}

/** Delivery to the `@On` methods of an event handler or projector. */
export class HandlerDelivery implements EventDelivery {
  constructor(
    private readonly definition: SubscriptionDefinition,
    private readonly serializer: EventSerializer,
  ) {}

  handles(eventType: string): boolean {
    return this.definition.handlers.has(eventType);
  }

  async deliver(recorded: RecordedEvent, sql?: SqlExecutor): Promise<void> {
    const event = this.serializer.deserialize(recorded);
    await this.definition.handlers.get(recorded.eventType)!(event, eventContextOf(recorded, sql));
  }
}
