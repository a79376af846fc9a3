import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { partitionName } from '../../lib/event-store/stream-partition.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { countProgressWrites, type ProgressWrites } from '../harness/progress-writes.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

const PARTITIONS = 8;
const APPENDS = 40;

/**
 * Each partition of a spread subscription reads every event of its types and keeps its own
 * streams' (at concurrency 1 here, so the session's sequential path). The others' events are
 * acknowledged at once and stored at most once a second, not once per append.
 */
describe('spread partitions passing over the other partitions’ events, on PostgreSQL', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let progressWrites: () => Promise<Map<string, ProgressWrites>>;

  beforeEach(async () => {
    schema = await testSchema('es_passed_over_spread');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    progressWrites = await countProgressWrites(store.sql, schema.name);
  });

  afterEach(async () => {
    await stopAllManagers();
    await store.close();
    await schema.drop();
  });

  it('stores far fewer writes than appends in the partitions that handle none of them, and every partition reaches the head', async () => {
    const name = uniqueName('passed-over');
    const { deliveries, definition } = recordingHandler({ name, spread: { partitions: PARTITIONS } });
    const manager = managerOn(store);
    await manager.start([definition]);
    // One stream: one partition handles every event, the seven others only pass them over.
    let head = 0;
    for (let i = 0; i < APPENDS; i++) {
      head = (await addItems(store, 'one-list', [`item-${i}`])).globalPosition;
      await eventually(() => expect(deliveries).toHaveLength(i + 1));
    }
    await waitForHandler(store, name, head);
    const byPartition = await progressWrites();
    const partitions = Array.from({ length: PARTITIONS }, (_, i) => byPartition.get(partitionName(name, i)));
    const idle = partitions.filter((row) => row && row.top === head && row.writes < APPENDS / 2);
    console.log(`passed over: ${APPENDS} appends; writes per partition ${partitions.map((row) => row?.writes).join(', ')}`);
    // The handling partition writes once per event; the seven others far less than once per append.
    expect(partitions.every((row) => row && row.top === head)).toBe(true);
    expect(idle).toHaveLength(PARTITIONS - 1);
  });
});
