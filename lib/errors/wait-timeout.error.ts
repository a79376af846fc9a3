import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** A testing wait helper (`waitForEvent`, `waitForHandler`) did not see what it waited for in time. */
export class WaitTimeoutError extends EventSourcingError {
  static readonly code = 'WAIT_TIMEOUT';
  constructor(
    /** What was awaited, in words. */
    readonly awaited: string,
    readonly timeoutMs: number,
  ) {
    super(WaitTimeoutError.code, `Timed out after ${timeoutMs} ms waiting for ${awaited}`);
  }
}

/** True when `error` is a {@link WaitTimeoutError}. */
export const isWaitTimeout = codeGuard<WaitTimeoutError>(WaitTimeoutError.code);
