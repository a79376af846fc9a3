import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import type { EventStoreOptions } from '../options.js';
import { EmbeddedEventStore } from './embedded-event-store.js';
import type { EventStore } from './event-store.interface.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { PostgresEventStore } from './postgres-event-store.js';

/** True when the option is a ready store instance rather than adapter settings. */
export const isEventStoreInstance = (options: EventStoreOptions): options is EventStore =>
  typeof (options as EventStore).appendToStream === 'function';

/** Builds the adapter named by the options. */
export function createEventStore(options: EventStoreOptions): EventStore {
  if (isEventStoreInstance(options)) return options;
  switch (options.adapter) {
    case 'memory':
      return new InMemoryEventStore(options.maxPayloadBytes);
    case 'postgres':
      return new PostgresEventStore(options);
    case 'embedded':
      return new EmbeddedEventStore(options);
    default:
      throw new InvalidOptionsError([`'eventStore.adapter' must be 'memory', 'postgres' or 'embedded', got ${JSON.stringify((options as { adapter: unknown }).adapter)}`]);
  }
}
