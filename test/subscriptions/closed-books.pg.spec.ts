import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

/** Subscriptions on a store whose books were closed: they start, and reset, at the cut. */
describe('subscriptions after closing the books (PostgreSQL, partitioned)', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeEach(async () => {
    schema = await testSchema('es_books');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4, partitioning: { rangeSize: 4 } });
    await store.init();
    await addItems(store, 'a', ['1', '2', '3']); // positions 1-3, partition [0, 4)
    await addItems(store, 'b', ['4', '5']);
    await addItems(store, 'a', ['6']);
    await store.saveSnapshot({ streamId: 'list-a', streamVersion: 3, snapshotType: 'List', snapshotVersion: 1, data: {} });
    expect((await store.closeBooks(5)).before).toBe(4);
  });
  afterEach(async () => {
    await stopAllManagers();
    await store.close();
    await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema.name}_archive" CASCADE`));
    await schema.drop();
  });

  it('starts a new subscription from the origin at the cut, and a reset to the origin goes back to the cut', async () => {
    const name = uniqueName('after-cut');
    const { deliveries, definition } = recordingHandler({ name, startFrom: 'origin' });
    await managerOn(store).start([definition]);
    await eventually(() => expect(deliveries.map((d) => d.position)).toEqual([4, 5, 6]));
    await addItems(store, 'b', ['7']);
    await eventually(() => expect(deliveries.map((d) => d.position)).toEqual([4, 5, 6, 7]));

    await store.control.requestReset(name, 0);
    await eventually(() => expect(deliveries.map((d) => d.position)).toEqual([4, 5, 6, 7, 4, 5, 6, 7]));
    // The handler has run before its checkpoint is written: wait for the write too.
    await eventually(async () => expect(await store.readCheckpoint(name)).toBe(7));
  });
});
