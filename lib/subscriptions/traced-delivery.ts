import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { Telemetry } from '../telemetry/telemetry.interface.js';
import type { DeliveryUnit, EventDelivery } from './event-delivery.js';

/** A delivery reported to telemetry, event by event. */
class TracedDelivery implements EventDelivery {
  constructor(
    private readonly inner: EventDelivery,
    private readonly subscription: string,
    private readonly telemetry: Telemetry,
  ) {
    // Batches pass through: a page has no one event to report, and its events are reported when a failure replays them one by one.
    if (inner.deliverMany) this.deliverMany = (events, sql) => inner.deliverMany!(events, sql);
    if (inner.onError) this.onError = (recorded, error, attempt) => inner.onError!(recorded, error, attempt);
    if (inner.replayWindow) this.replayWindow = (window) => inner.replayWindow!(window);
  }

  readonly deliverMany?: EventDelivery['deliverMany'];
  readonly onError?: EventDelivery['onError'];
  readonly replayWindow?: EventDelivery['replayWindow'];

  handles(eventType: string): boolean {
    return this.inner.handles(eventType);
  }

  eventTypes(): string[] {
    return this.inner.eventTypes();
  }

  deliver(recorded: RecordedEvent, sql?: SqlExecutor): Promise<void> {
    return this.telemetry.deliver(this.subscription, recorded, () => this.inner.deliver(recorded, sql));
  }

  units(recorded: RecordedEvent): DeliveryUnit[] {
    return this.inner
      .units(recorded)
      .map((unit) => ({ key: unit.key, run: (sql) => this.telemetry.deliver(this.subscription, recorded, () => unit.run(sql)) }));
  }
}

/** `delivery`, reporting each event it delivers to `telemetry` when there is one. */
export const tracedDelivery = (delivery: EventDelivery, subscription: string, telemetry: Telemetry | undefined): EventDelivery =>
  telemetry ? new TracedDelivery(delivery, subscription, telemetry) : delivery;
