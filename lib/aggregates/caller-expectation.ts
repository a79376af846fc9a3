import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error.js';
import { NO_STREAM, STREAM_EXISTS } from '../event-store/expected-version.js';
import type { AggregateInstance } from './aggregate-instance.js';
import type { CommandEnvelope } from './command-envelope.js';

/** A caller's expectation of its aggregate's version (`ANY` never gets this far). */
export type CallerExpectation = NonNullable<CommandEnvelope['expectedVersion']>;

/**
 * True when the instance is where its caller expects it. A deleted aggregate has no life: it
 * meets `NO_STREAM` and not `STREAM_EXISTS`, while its version (the tombstone's) stays its own.
 */
export function meetsExpectation(instance: AggregateInstance, expected: CallerExpectation): boolean {
  if (expected === NO_STREAM) return instance.version === 0 || instance.deleted;
  if (expected === STREAM_EXISTS) return instance.version > 0 && !instance.deleted;
  return instance.version === expected;
}

/**
 * True when no write by anyone else can leave the expectation met once it was: an exact version
 * or `NO_STREAM`. A command that met one and then lost its append to a concurrent writer is
 * refused rather than run again on the newer state its caller never saw.
 */
export const pinsVersion = (expected: CallerExpectation): boolean => expected !== STREAM_EXISTS;

const described = (expected: CallerExpectation): string =>
  expected === NO_STREAM ? 'to have no events' : expected === STREAM_EXISTS ? 'to exist' : `at version ${expected}`;

/** The refusal of a command whose aggregate is not where its caller expected: at `current` instead. */
export function expectationFailed(
  envelope: CommandEnvelope,
  expected: CallerExpectation,
  current: number,
  deleted = false,
): WrongExpectedVersionError {
  return new WrongExpectedVersionError(
    envelope.streamId,
    expected,
    current,
    `Command '${envelope.commandName}' expected '${envelope.streamId}' ${described(expected)}, but it is at version ${current}${deleted ? ' (deleted)' : ''}: nothing was written; read it again and decide anew`,
  );
}
