import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { Telemetry } from '../telemetry/telemetry.interface.js';
import type { EventDelivery } from './event-delivery.js';

/** A delivery reported to telemetry, event by event. */
class TracedDelivery implements EventDelivery {
  constructor(
    private readonly inner: EventDelivery,
    private readonly subscription: string,
    private readonly telemetry: Telemetry,
  ) {}

  handles(eventType: string): boolean {
    return this.inner.handles(eventType);
  }

  deliver(recorded: RecordedEvent, sql?: SqlExecutor): Promise<void> {
    return this.telemetry.deliver(this.subscription, recorded, () => this.inner.deliver(recorded, sql));
  }
}

/** `delivery`, reporting each event it delivers to `telemetry` when there is one. */
export const tracedDelivery = (delivery: EventDelivery, subscription: string, telemetry: Telemetry | undefined): EventDelivery =>
  telemetry ? new TracedDelivery(delivery, subscription, telemetry) : delivery;
