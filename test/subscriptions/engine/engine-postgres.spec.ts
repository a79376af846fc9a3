import { PostgresEventStore } from '../../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, testSchema } from '../../harness/postgres-schema.js';
import { createItemsTable, type EngineStoreFactory } from './engine-fixtures.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';
import { describeFilteredSubscriptions } from './filtered-subscription-conformance.js';

const factory: EngineStoreFactory = async () => {
  const schema = await testSchema('es_engine');
  const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 6 });
  await store.init();
  const items = await createItemsTable(store, schema.name);
  return {
    store,
    items,
    dispose: async () => {
      await store.close();
      await schema.drop();
    },
  };
};

describeSubscriptionEngine('postgres', factory);
describeFilteredSubscriptions('postgres', factory);
