import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { DeliveryUnit, EventDelivery } from './event-delivery.js';

/**
 * The units of `recorded`: for a process manager one per process id it routes to (the partition
 * is the process id), for a handler one keyed by `partitionBy` (default: the stream id). When the
 * key cannot be computed (the event cannot be revived, `partitionBy` throws), the event becomes one
 * unit keyed by its stream, whose delivery then fails under the error policy like any other.
 */
export function deliveryUnitsOf(delivery: EventDelivery, recorded: RecordedEvent): DeliveryUnit[] {
  try {
    return delivery.units(recorded);
  } catch {
    // Falls through: the delivery itself reports the failure.
  }
  return [{ key: recorded.streamId, run: (sql) => delivery.deliver(recorded, sql) }];
}
