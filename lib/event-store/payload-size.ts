import { InvalidEventError } from '../errors/invalid-event.error.js';
import { PayloadTooLargeError } from '../errors/payload-too-large.error.js';
import { jsonTextProblem } from './store-strings.js';

/** Default limit of one serialized event or snapshot. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Refuses, before anything is written, a payload PostgreSQL could not store as given: a string
 * with a NUL or a lone surrogate (`InvalidEventError`), or JSON over `limit` bytes (`PayloadTooLargeError`).
 */
export function assertStorablePayload(payload: { data: unknown; metadata?: unknown; eventId?: string; streamId?: string }, limit: number): void {
  const data = JSON.stringify(payload.data);
  const metadata = JSON.stringify(payload.metadata ?? {});
  const what = payload.eventId ? `Event ${payload.eventId}` : `Snapshot of ${payload.streamId}`;
  const problem = jsonTextProblem(data) ?? jsonTextProblem(metadata);
  if (problem) throw new InvalidEventError(`${what} cannot be stored: a string in its data or metadata ${problem}`);
  const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
  if (bytes > limit) throw new PayloadTooLargeError(what, bytes, limit);
}
