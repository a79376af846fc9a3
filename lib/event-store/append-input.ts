import { InvalidEventError } from '../errors/invalid-event.error.js';
import type { AppendOptions } from './command-record.js';
import { type ExpectedVersion, expectedVersionProblem } from './expected-version.js';
import { assertStorablePayload } from './payload-size.js';
import type { NewEvent } from './recorded-event.js';
import { assertIdentifier, identifierProblem, jsonTextProblem, textProblem } from './store-strings.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalTextProblem = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? textProblem(value) : 'must be a string';

function eventProblem(event: NewEvent): string | undefined {
  if (!isPlainObject(event)) return 'each event must be an object';
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) return `eventId must be a UUID, got ${JSON.stringify(event.eventId)}`;
  const typeProblem = identifierProblem(event.eventType);
  if (typeProblem) return `eventType of ${event.eventId} ${typeProblem}`;
  if (!isPlainObject(event.data)) return `data of ${event.eventId} must be a JSON object, got ${JSON.stringify(event.data)}`;
  if (event.metadata !== undefined && !isPlainObject(event.metadata)) return `metadata of ${event.eventId} must be a JSON object`;
  const idProblem = optionalTextProblem(event.causationId) ?? optionalTextProblem(event.correlationId);
  if (idProblem) return `causationId and correlationId of ${event.eventId}: one ${idProblem}`;
  return undefined;
}

function assertCommand(options: AppendOptions | undefined): void {
  const command = options?.command;
  if (command === undefined) return;
  assertIdentifier('command id', command.commandId);
  assertIdentifier('command type', command.commandType);
  assertIdentifier('command payload hash', command.payloadHash);
}

/**
 * The batch as JSON, checked for what PostgreSQL cannot store: one serialization serves the check
 * and the store's write. A batch within the limit as a whole has every event within it; otherwise,
 * or when the text holds a bad escape, each event is checked alone for the precise error.
 */
function storableJson(events: NewEvent[], maxPayloadBytes: number): string {
  const json = JSON.stringify(events);
  if (jsonTextProblem(json) === undefined && Buffer.byteLength(json) <= maxPayloadBytes) return json;
  for (const event of events) assertStorablePayload(event, maxPayloadBytes);
  return json;
}

/**
 * Checks an append's shape before anything is written, the same way in every adapter: stream id
 * (`InvalidIdentifierError`), the command to record, expected version, each event's shape and ids
 * (`InvalidEventError`). The payloads are checked apart: {@link assertAppendInput}, or an adapter's
 * own check that refuses exactly what it refuses.
 */
export function assertAppendShape(streamId: string, expected: ExpectedVersion, events: NewEvent[], options?: AppendOptions): void {
  assertIdentifier('stream id', streamId);
  assertCommand(options);
  const fail = (problem: string) => {
    throw new InvalidEventError(`Cannot append to stream ${JSON.stringify(streamId)}: ${problem}`);
  };
  const expectedError = expectedVersionProblem(expected);
  if (expectedError) fail(`expected version ${expectedError}`);
  if (!Array.isArray(events)) fail('events must be an array');
  for (const event of events) {
    const problem = eventProblem(event);
    if (problem) fail(problem);
  }
}

/**
 * Checks an append before anything is written: its shape ({@link assertAppendShape}), then the
 * strings and size of each payload (`InvalidEventError`, `PayloadTooLargeError`). Returns the
 * events as JSON text, for the adapter to store without serializing them again.
 */
export function assertAppendInput(
  streamId: string,
  expected: ExpectedVersion,
  events: NewEvent[],
  maxPayloadBytes: number,
  options?: AppendOptions,
): string {
  assertAppendShape(streamId, expected, events, options);
  return storableJson(events, maxPayloadBytes);
}
