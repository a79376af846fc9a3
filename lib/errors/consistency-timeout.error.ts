import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** A strong dispatch committed its events but the strong handlers did not catch up in time. */
export class ConsistencyTimeoutError extends EventSourcingError {
  static readonly code = 'CONSISTENCY_TIMEOUT';
  constructor(
    readonly pending: string[],
    readonly position: number,
    readonly timeoutMs: number,
  ) {
    super(
      ConsistencyTimeoutError.code,
      `Events were committed, but handlers [${pending.join(', ')}] did not reach position ${position} within ${timeoutMs} ms`,
    );
  }
}

/** True when `error` is a {@link ConsistencyTimeoutError}. */
export const isConsistencyTimeout = codeGuard<ConsistencyTimeoutError>(ConsistencyTimeoutError.code);
