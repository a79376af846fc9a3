import { InvalidEventError } from '../errors/invalid-event.error.js';
import { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './expected-version.js';
import { assertPayloadSize } from './payload-size.js';
import type { NewEvent } from './recorded-event.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Highest stream version the stores accept (a PostgreSQL integer). */
export const MAX_STREAM_VERSION = 2 ** 31 - 1;

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

function eventProblem(event: NewEvent): string | undefined {
  if (!isPlainObject(event)) return 'each event must be an object';
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) return `eventId must be a UUID, got ${JSON.stringify(event.eventId)}`;
  if (typeof event.eventType !== 'string' || event.eventType === '') return `eventType of ${event.eventId} must be a non-empty string`;
  if (!isPlainObject(event.data)) return `data of ${event.eventId} must be a JSON object, got ${JSON.stringify(event.data)}`;
  if (event.metadata !== undefined && !isPlainObject(event.metadata)) return `metadata of ${event.eventId} must be a JSON object`;
  if (!isOptionalString(event.causationId) || !isOptionalString(event.correlationId)) {
    return `causationId and correlationId of ${event.eventId} must be strings when present`;
  }
  return undefined;
}

function expectedProblem(expected: ExpectedVersion): string | undefined {
  if (expected === ANY || expected === NO_STREAM || expected === STREAM_EXISTS) return undefined;
  if (Number.isInteger(expected) && expected >= 0 && expected <= MAX_STREAM_VERSION) return undefined;
  return `expected version must be a non-negative integer, 'any', 'no_stream' or 'stream_exists', got ${JSON.stringify(expected)}`;
}

/**
 * Checks an append before anything is written, the same way in every adapter: stream id, expected
 * version, each event's shape and payload size. Throws `InvalidEventError` or `PayloadTooLargeError`.
 */
export function assertAppendInput(streamId: string, expected: ExpectedVersion, events: NewEvent[], maxPayloadBytes: number): void {
  const fail = (problem: string) => {
    throw new InvalidEventError(`Cannot append to stream ${JSON.stringify(streamId)}: ${problem}`);
  };
  if (typeof streamId !== 'string' || streamId === '') fail('the stream id must be a non-empty string');
  const expectedError = expectedProblem(expected);
  if (expectedError) fail(expectedError);
  if (!Array.isArray(events)) fail('events must be an array');
  for (const event of events) {
    const problem = eventProblem(event);
    if (problem) fail(problem);
    assertPayloadSize(event, maxPayloadBytes);
  }
}
