import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** An append's expected version did not match the stream: someone else wrote first. */
export class WrongExpectedVersionError extends EventSourcingError {
  static readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: unknown,
    readonly actual: number | undefined,
    message = `Stream '${streamId}' expected version ${String(expected)} but is at ${actual ?? 'unknown version'}`,
  ) {
    super(WrongExpectedVersionError.code, message);
  }
}

/** True when `error` is a {@link WrongExpectedVersionError}. */
export const isWrongExpectedVersion = codeGuard<WrongExpectedVersionError>(WrongExpectedVersionError.code);
