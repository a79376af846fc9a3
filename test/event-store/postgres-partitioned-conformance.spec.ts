import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, testSchema } from '../harness/postgres-schema.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeAppendInTransactionConformance, describeEventStoreConformance } from '../../lib/store.js';
import { describeGroupedAppends } from './grouped-append-suite.js';

/** Positions per partition: so small that most streams of the suites span several partitions. */
const RANGE_SIZE = 4;

const fresh = async () => {
  const schema = await testSchema('es_part');
  const store = new PostgresEventStore({
    connectionString: TEST_DATABASE_URL,
    schema: schema.name,
    maxPayloadBytes: CONFORMANCE_MAX_PAYLOAD_BYTES,
    poolSize: 4,
    partitioning: { rangeSize: RANGE_SIZE },
  });
  await store.init();
  return {
    store,
    schema: schema.name,
    dispose: async () => {
      await store.close();
      await schema.drop();
    },
  };
};

describeEventStoreConformance('postgres, partitioned', fresh);
describeAppendInTransactionConformance('postgres, partitioned', fresh);
describeGroupedAppends('postgres, partitioned', fresh, { eventIds: 'partition' });
