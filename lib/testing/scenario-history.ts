import type { Type } from '@nestjs/common';
import type { EventSerializer } from '../events/event-serializer.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { ANY } from '../event-store/expected-version.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { uuidV7 } from '../util/uuid-v7.js';

/** Where and how a scenario's given events are recorded. @default stream 'scenario', no correlation id, empty metadata */
export interface GivenEnvelope {
  streamId?: string;
  correlationId?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Stores a scenario's given events in a real store, so subscription code receives them exactly as
 * in production: in stored form, revived, with positions, ids and timestamps.
 */
export async function recordGiven(
  store: EventStore,
  serializer: EventSerializer,
  events: object[],
  envelope: GivenEnvelope = {},
): Promise<RecordedEvent[]> {
  if (!events.length) return [];
  const { streamId = 'scenario', ...rest } = envelope;
  events.forEach((event) => serializer.register(event.constructor as Type));
  const stored = events.map((event) => serializer.serialize(event, { eventId: uuidV7(), ...rest }));
  const result = await store.appendToStream(streamId, ANY, stored);
  return store.readStream(streamId, { fromVersion: result.streamVersion - events.length + 1 });
}
