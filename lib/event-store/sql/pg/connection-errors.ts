import { isStoreUnavailable, StoreUnavailableError } from '../../../errors/store-unavailable.error.js';
import { connectionSettingsError } from './connection-settings-errors.js';

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: admin shutdown,
// crash shutdown, cannot connect now), plus the socket errors Node reports.
const CONNECTION_CODES = /^(08|57P0)|^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$|^ENOTFOUND$/;
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|Client was closed|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end/i;

/** Errors from another realm (Node's own sockets seen from a VM context, as under Jest) are not `instanceof Error`. */
const isErrorLike = (error: unknown): error is Error =>
  error instanceof Error || (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string');

/** True when `error` means the connection to the database failed rather than the statement. */
export function isConnectionError(error: unknown): boolean {
  if (!isErrorLike(error)) return false;
  if (isStoreUnavailable(error)) return true;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.test(code)) || CONNECTION_MESSAGES.test(error.message);
}

/**
 * Rethrows connection failures as the retryable `StoreUnavailableError`, refused connection
 * settings as a `StoreConnectionError`, anything else as is.
 */
export function toStoreError(error: unknown): unknown {
  if (isErrorLike(error)) {
    const refused = connectionSettingsError(error);
    if (refused) return refused;
  }
  if (!isConnectionError(error) || isStoreUnavailable(error)) return error;
  return new StoreUnavailableError(`Event store connection failed: ${(error as Error).message}`, error);
}

/** Runs `operation`, translating connection failures with {@link toStoreError}. */
export async function guardConnection<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStoreError(error);
  }
}
