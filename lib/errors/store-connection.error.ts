import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** Why the database refused the store's connection settings. */
export type StoreConnectionProblem = 'database-not-found' | 'role-not-found' | 'authentication-failed' | 'invalid-connection-string';

/**
 * The event store's connection settings are wrong (no such database or role, a bad password, a
 * connection string PostgreSQL cannot read): retrying will not help, the settings must change.
 * The message says what to type.
 */
export class StoreConnectionError extends EventSourcingError {
  static readonly code = 'STORE_CONNECTION_REFUSED';
  /** Unlike {@link StoreUnavailableError}, waiting does not fix this. */
  readonly retryable = false;

  constructor(
    readonly reason: StoreConnectionProblem,
    message: string,
    cause?: unknown,
  ) {
    super(StoreConnectionError.code, message, { cause });
  }
}

/** True when `error` is a {@link StoreConnectionError}. */
export const isStoreConnectionError = codeGuard<StoreConnectionError>(StoreConnectionError.code);
