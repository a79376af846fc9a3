import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** The event store's connection failed; the operation can be retried. */
export class StoreUnavailableError extends EventSourcingError {
  static readonly code = 'STORE_UNAVAILABLE';
  /** The operation may succeed if retried once the connection is back. */
  readonly retryable = true;

  constructor(message: string, cause?: unknown) {
    super(StoreUnavailableError.code, message, { cause });
  }
}

/** True when `error` is a {@link StoreUnavailableError}. */
export const isStoreUnavailable = codeGuard<StoreUnavailableError>(StoreUnavailableError.code);
