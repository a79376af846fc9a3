import { PGlite } from '@electric-sql/pglite';
import { EmbeddedEventStore } from '../../../lib/event-store/sql/pglite/embedded-event-store.js';
import { createItemsTable, type EngineStoreFactory } from './engine-fixtures.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';
import { describeFilteredSubscriptions } from './filtered-subscription-conformance.js';

// One database for the suite, a fresh schema per test: starting PGlite costs seconds, a schema milliseconds.
let database: PGlite | undefined;
let schemas = 0;
afterAll(() => database?.close());

const factory: EngineStoreFactory = async () => {
  database ??= await PGlite.create();
  const schema = `engine_${++schemas}`;
  const store = new EmbeddedEventStore({ database, schema });
  await store.init();
  const items = await createItemsTable(store, schema);
  return { store, items, dispose: () => store.close() };
};

describeSubscriptionEngine('embedded', factory);
describeFilteredSubscriptions('embedded', factory);
