import { assertStorablePayload } from '../payload-size.js';
import type { JsonObject, NewEvent, RecordedEvent } from '../recorded-event.js';
import { isStorableText } from '../store-strings.js';
import { CheckedJsonCopier, jsonCopy } from '../../util/json-copy.js';

/** Where a batch goes: its stream, the versions and positions before it, and its time. */
export interface BatchPlace {
  streamId: string;
  /** Stream version before the batch. */
  version: number;
  /** Global position before the batch. */
  position: number;
  createdAt: Date;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * One event's data and metadata, checked as the SQL adapters check their JSON text. The copy
 * vouches for the usual payload on its way; anything else gets the exact check, with its error.
 */
function storedPayload(event: NewEvent, maxPayloadBytes: number): Pick<RecordedEvent, 'data' | 'metadata'> {
  const copier = new CheckedJsonCopier(isStorableText);
  const data = copier.copy<JsonObject>(event.data);
  const metadata = copier.copy<JsonObject>(event.metadata ?? {});
  if (data !== undefined && metadata !== undefined && copier.bytesAtMost <= maxPayloadBytes) return { data, metadata };
  assertStorablePayload(event, maxPayloadBytes);
  return { data: deepFreeze(jsonCopy<JsonObject>(event.data)), metadata: deepFreeze(jsonCopy<JsonObject>(event.metadata ?? {})) };
}

/**
 * The memory store's records of a batch, fields in the SQL adapters' order: data and metadata
 * copied as their JSON would read back, everything frozen, so the append result and every later
 * read may share them. Refuses, before anything is kept, a payload PostgreSQL could not store.
 */
export function storedEvents(events: NewEvent[], place: BatchPlace, maxPayloadBytes: number): RecordedEvent[] {
  const createdAt = Object.freeze(place.createdAt);
  const recorded = new Array<RecordedEvent>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const { data, metadata } = storedPayload(event, maxPayloadBytes);
    const stored = { eventId: event.eventId, eventType: event.eventType, data, metadata } as RecordedEvent;
    if (event.causationId !== undefined) stored.causationId = event.causationId;
    if (event.correlationId !== undefined) stored.correlationId = event.correlationId;
    stored.streamId = place.streamId;
    stored.streamVersion = place.version + i + 1;
    stored.globalPosition = place.position + i + 1;
    stored.createdAt = createdAt;
    recorded[i] = Object.freeze(stored);
  }
  return recorded;
}
