import { PostgresEventStore } from '../../lib/event-store/postgres-event-store.js';
import { TEST_DATABASE_URL, testSchema } from '../harness/postgres-schema.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeEventStoreConformance } from './event-store-conformance.js';

describeEventStoreConformance('postgres', async () => {
  const schema = await testSchema();
  const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, maxPayloadBytes: CONFORMANCE_MAX_PAYLOAD_BYTES, poolSize: 4 });
  await store.init();
  return {
    store,
    dispose: async () => {
      await store.close();
      await schema.drop();
    },
  };
});
