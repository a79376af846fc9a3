import { StoreConnectionError } from '../../../errors/store-connection.error.js';

export const CONNECTION_STRING_SHAPE = 'a connection string looks like postgres://user@host:5432/db';
// What `pg` reads as a connection string; anything else it resolves against a dummy URL and then
// meets as a missing user name or an unknown host `base`, far from the mistake.
const READABLE_CONNECTION_STRING = /^(postgres(ql)?:\/\/|socket:|\/)/i;

/** True when `pg` reads `connectionString` as a connection string. */
export const isReadableConnectionString = (connectionString: string): boolean => READABLE_CONNECTION_STRING.test(connectionString);

/** Refuses a connection string `pg` would misread (typically `host:5432/db` without a scheme). */
export function assertConnectionString(connectionString: string | undefined): void {
  if (connectionString === undefined || isReadableConnectionString(connectionString)) return;
  throw new StoreConnectionError(
    'invalid-connection-string',
    `The event store's connection string does not start with postgres:// (or postgresql://): ${CONNECTION_STRING_SHAPE}`,
  );
}

const quoted = (message: string): string => /"([^"]+)"/.exec(message)?.[1] ?? '<name>';

/**
 * The server's refusals of the connection settings (SQLSTATE 3D000, 28000, 28P01) as a
 * {@link StoreConnectionError} that says what to type; undefined for any other error.
 */
export function connectionSettingsError(error: Error & { code?: unknown }): StoreConnectionError | undefined {
  const { message } = error;
  switch (error.code) {
    case '3D000':
      return new StoreConnectionError(
        'database-not-found',
        `${message}: create it (\`createdb ${quoted(message)}\`) or fix the database name in the connection string (${CONNECTION_STRING_SHAPE})`,
        error,
      );
    case '28000':
      if (/^role /.test(message)) {
        return new StoreConnectionError(
          'role-not-found',
          `${message}: check the user name in the connection string (${CONNECTION_STRING_SHAPE}), or create the role (\`createuser ${quoted(message)}\`)`,
          error,
        );
      }
      return new StoreConnectionError('invalid-connection-string', `${message}: ${CONNECTION_STRING_SHAPE}`, error);
    case '28P01':
      return new StoreConnectionError('authentication-failed', `${message}: check the password in the connection string or PGPASSWORD`, error);
    default:
      return undefined;
  }
}
