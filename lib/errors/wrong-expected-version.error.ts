import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * An append's expected version did not match the stream: someone else wrote first. Also the
 * refusal of a command whose caller's `expectedVersion` the aggregate no longer meets.
 */
export class WrongExpectedVersionError extends EventSourcingError {
  static readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    /** What was expected: a version (a count of events), or `'no_stream'`, `'stream_exists'`. */
    readonly expected: unknown,
    /** The stream's version when refused; undefined when the store could not tell. */
    readonly actual: number | undefined,
    message = `Stream '${streamId}' expected version ${String(expected)} but is at ${actual ?? 'unknown version'}`,
  ) {
    super(WrongExpectedVersionError.code, message);
  }
}

/** True when `error` is a {@link WrongExpectedVersionError}. */
export const isWrongExpectedVersion = codeGuard<WrongExpectedVersionError>(WrongExpectedVersionError.code);
