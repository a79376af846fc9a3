import { PostgresEventStore } from '../../../lib/event-store/sql/pg/postgres-event-store.js';
import { pgBouncerForFile } from '../../harness/pgbouncer.js';
import { testSchema } from '../../harness/postgres-schema.js';
import { createItemsTable } from './engine-fixtures.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';

// As engine-postgres.spec.ts, through a real PgBouncer in transaction mode.
const bouncer = pgBouncerForFile();

describeSubscriptionEngine('postgres through PgBouncer', async () => {
  const schema = await testSchema('es_engine');
  const store = new PostgresEventStore({ connectionString: bouncer.url(), pooler: 'transaction', schema: schema.name, poolSize: 6 });
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
});
