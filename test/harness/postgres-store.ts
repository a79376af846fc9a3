import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { PostgresStoreOptions } from '../../lib/event-store/sql/pg/postgres-store.options.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from './postgres-schema.js';

/** What a suite of {@link usePostgresStore} works with. */
export interface PostgresStoreFixture {
  /** This test's schema. */
  readonly schema: TestSchema;
  /** The store this test opened last, if any. */
  readonly store: PostgresEventStore | undefined;
  /** Opens (and migrates) a store on this test's schema; closed after the test. */
  open(options?: Partial<PostgresStoreOptions>): Promise<PostgresEventStore>;
}

/**
 * Gives each test of the calling suite a schema of its own and opens stores on it; after each test
 * the store is closed and the schema dropped. Call it in a `describe` body.
 */
export function usePostgresStore(defaults: Partial<PostgresStoreOptions> = {}): PostgresStoreFixture {
  let schema: TestSchema | undefined;
  let store: PostgresEventStore | undefined;
  beforeEach(async () => {
    schema = await testSchema();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await schema?.drop();
  });
  return {
    get schema() {
      return schema!;
    },
    get store() {
      return store;
    },
    async open(options = {}) {
      store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema!.name, ...defaults, ...options });
      await store.init();
      return store;
    },
  };
}
