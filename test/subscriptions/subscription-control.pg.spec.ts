import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, testSchema } from '../harness/postgres-schema.js';
import { sqlCountModel } from './fixtures/counting-projector.js';
import { describeSubscriptionControl } from './subscription-control-conformance.js';

// The peer is a second store on the same schema, with its own pool and lock session: what another
// module instance or process sees.
describeSubscriptionControl('postgres', async () => {
  const schema = await testSchema('es_ctl');
  const open = async () => {
    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    return store;
  };
  const store = await open();
  const peer = await open();
  const model = await sqlCountModel(store, `"${schema.name}".counts`);
  return {
    store,
    peer,
    model,
    dispose: async () => {
      await Promise.all([store.close(), peer.close()]);
      await schema.drop();
    },
  };
});
