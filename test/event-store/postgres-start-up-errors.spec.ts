import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { isStoreConnectionError, StoreConnectionError } from '../../lib/errors/store-connection.error.js';
import { ensureSampleBuilt, SAMPLE_MAIN } from '../harness/sample-build.js';
import { testSchema } from '../harness/postgres-schema.js';

const run = promisify(execFile);

/** Opens a store on `connectionString` and returns what its start-up threw. */
async function startFailure(connectionString: string): Promise<unknown> {
  const schema = await testSchema('es_startup');
  let store: PostgresEventStore | undefined;
  try {
    store = new PostgresEventStore({ connectionString, schema: schema.name, poolSize: 1 });
    await store.init();
  } catch (error) {
    return error;
  } finally {
    await store?.close();
  }
  throw new Error(`the store started on ${connectionString}`);
}

/** A newcomer's wrong connection settings, against the real PostgreSQL: typed errors that say what to type. */
describe('PostgreSQL start-up errors', () => {
  it('names a missing database and the command that creates it', async () => {
    const error = await startFailure('postgres://postgres@127.0.0.1:5432/nope_db');
    expect(error).toBeInstanceOf(StoreConnectionError);
    expect(error).toMatchObject({ code: 'STORE_CONNECTION_REFUSED', reason: 'database-not-found', retryable: false });
    expect((error as Error).message).toContain('database "nope_db" does not exist');
    expect((error as Error).message).toContain('createdb nope_db');
  });

  it('names an unknown role and says to check the user in the connection string', async () => {
    const error = await startFailure('postgres://wronguser@127.0.0.1:5432/test');
    expect(isStoreConnectionError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'role-not-found' });
    expect((error as Error).message).toContain('role "wronguser" does not exist');
    expect((error as Error).message).toContain('createuser wronguser');
  });

  it('refuses a connection string without a scheme, showing what one looks like', async () => {
    for (const url of ['localhost:5432/x', '127.0.0.1:5432/x']) {
      const error = await startFailure(url);
      expect(isStoreConnectionError(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'invalid-connection-string' });
      expect((error as Error).message).toContain('a connection string looks like postgres://user@host:5432/db');
    }
  });

  it('the sample prints the error and what to type, without a stack trace', async () => {
    await ensureSampleBuilt();
    const cases = [
      { url: 'postgres://postgres@127.0.0.1:5432/nope_db', says: 'createdb nope_db' },
      { url: 'localhost:5432/x', says: 'a connection string looks like postgres://user@host:5432/db' },
    ];
    for (const { url, says } of cases) {
      const env = { PATH: process.env.PATH, EVENT_STORE: 'postgres', DATABASE_URL: url, PORT: '0' };
      const failed = await run(process.execPath, [SAMPLE_MAIN], { env }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      const output = `${failed?.stdout}${failed?.stderr}`;
      expect(output).toContain('STORE_CONNECTION_REFUSED');
      expect(output).toContain(says);
      expect(output).not.toMatch(/^\s+at /m);
    }
  }, 180_000);
});
