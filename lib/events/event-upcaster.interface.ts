import type { JsonObject } from '../event-store/recorded-event.js';

/** Turns a stored event of `eventType` at schema `fromVersion` into the shape of `fromVersion + 1`. */
export interface EventUpcaster {
  eventType: string;
  fromVersion: number;
  /**
   * The type name the upcast event has from `fromVersion + 1` on, when the upcaster renames it:
   * the next upcaster is looked up under this name. The class of that name lists `eventType` in
   * its `@DomainEvent` aliases, so that handlers and filters find the stored events. @default eventType
   */
  toEventType?: string;
  upcast(data: JsonObject, metadata: JsonObject): JsonObject;
}
