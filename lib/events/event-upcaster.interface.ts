import type { JsonObject } from '../event-store/recorded-event.js';

/** Turns a stored event of `eventType` at schema `fromVersion` into the shape of `fromVersion + 1`. */
export interface EventUpcaster {
  eventType: string;
  fromVersion: number;
  upcast(data: JsonObject, metadata: JsonObject): JsonObject;
}
