import { PayloadTooLargeError } from '../errors/payload-too-large.error.js';

/** Default limit of one serialized event or snapshot. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Refuses a payload whose JSON is larger than `limit` bytes, before anything is written. */
export function assertPayloadSize(payload: { data: unknown; metadata?: unknown; eventId?: string; streamId?: string }, limit: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(payload.data)) + Buffer.byteLength(JSON.stringify(payload.metadata ?? {}));
  if (bytes > limit) {
    const what = payload.eventId ? `Event ${payload.eventId}` : `Snapshot of ${payload.streamId}`;
    throw new PayloadTooLargeError(what, bytes, limit);
  }
}
