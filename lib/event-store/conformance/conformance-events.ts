import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store.interface.js';
import type { NewEvent } from '../recorded-event.js';

/** Builds a fresh, initialised, empty store for one test, and disposes of it afterwards. */
export type StoreFactory = () => Promise<{ store: EventStore; dispose: () => Promise<void> }>;

/** Payload limit the factories must configure, so oversize payloads are cheap to build. */
export const CONFORMANCE_MAX_PAYLOAD_BYTES = 4096;

/** A new event of type `Happened` with a random id. */
export const newEvent = (data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({
  eventId: randomUUID(),
  eventType: 'Happened',
  data,
  ...extra,
});

/** `count` new events numbered from `from`. */
export const events = (count: number, from = 1): NewEvent[] => Array.from({ length: count }, (_, i) => newEvent({ n: from + i }));

/** What a promise rejected with; fails when it fulfils. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
