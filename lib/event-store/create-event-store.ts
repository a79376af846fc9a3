import type { EventStoreOptions } from '../options.js';
import type { EventStore } from './event-store.interface.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

/** True when the option is a ready store instance rather than adapter settings. */
export const isEventStoreInstance = (options: EventStoreOptions): options is EventStore =>
  typeof (options as EventStore).appendToStream === 'function';

/** Builds the adapter named by the options. */
export function createEventStore(options: EventStoreOptions): EventStore {
  if (isEventStoreInstance(options)) return options;
  switch (options.adapter) {
    case 'memory':
      return new InMemoryEventStore(options.maxPayloadBytes);
    default:
      throw new Error(`Event store adapter '${options.adapter}' is not available yet`);
  }
}
