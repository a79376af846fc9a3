import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { EventDelivery } from './event-delivery.js';
import { HandlerDelivery } from './event-delivery.js';
import { ProcessManagerDelivery } from './process-manager-delivery.js';

/** One piece of work for an event: its partition key and what to run. */
export interface DeliveryUnit {
  key: string;
  run(sql?: SqlExecutor): Promise<void>;
}

/**
 * The units of `recorded`: for a process manager one per process id it routes to (the partition
 * is the process id), for a handler one keyed by `partitionBy` (default: the stream id). When the
 * key cannot be computed (the event cannot be revived, `partitionBy` throws), the event becomes one
 * unit keyed by its stream, whose delivery then fails under the error policy like any other.
 */
export function deliveryUnitsOf(delivery: EventDelivery, recorded: RecordedEvent): DeliveryUnit[] {
  try {
    if (delivery instanceof ProcessManagerDelivery) {
      return delivery.processIds(recorded).map((processId) => ({ key: processId, run: () => delivery.deliverTo(recorded, processId) }));
    }
    if (delivery instanceof HandlerDelivery) return [{ key: delivery.partitionOf(recorded), run: (sql) => delivery.deliver(recorded, sql) }];
  } catch {
    // Falls through: the delivery itself reports the failure.
  }
  return [{ key: recorded.streamId, run: (sql) => delivery.deliver(recorded, sql) }];
}
