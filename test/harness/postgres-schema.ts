import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The shared test server; tests fail when it is down. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of a test's own in the `test` database, so suites running in parallel never meet. */
export interface TestSchema {
  /** e.g. `es_test_3f9c0a1b2c4d` */
  name: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Names a fresh schema (the store creates it on start) and checks the server answers. */
export async function testSchema(prefix = 'es_test'): Promise<TestSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(async (client) => {
    await client.query('SELECT 1');
  });
  return {
    name,
    drop: () =>
      withClient(async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      }),
  };
}

/** Runs `work` with a connection to the test database, closed afterwards. */
export async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect().catch((error: unknown) => {
    throw new Error(`These tests need PostgreSQL at ${TEST_DATABASE_URL}: ${String(error)}`);
  });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
