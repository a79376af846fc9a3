import { randomUUID } from 'node:crypto';
import { EventSerializer } from '../../lib/events/event-serializer.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { HeldAppend } from '../event-store/fixtures/held-append.js';
import { readUntilHead } from '../event-store/fixtures/replica-reads.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { postgresReplicaForFile } from '../harness/postgres-replica.js';
import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';
import { type PostgresFixture, postgresFixture } from './fixtures/postgres-store.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, append, gate, ItemAdded, managerOn, NoteWritten, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

const replica = postgresReplicaForFile();
const BATCH = 50;

describe('a subscription far behind catches up through the read replica', () => {
  let pg: PostgresFixture;
  let store: PostgresEventStore;

  beforeEach(async () => {
    pg = await postgresFixture();
    store = new PostgresEventStore({
      connectionString: TEST_DATABASE_URL,
      schema: pg.schema.name,
      poolSize: 4,
      replica: { connectionString: replica().url, minLag: 20 },
    });
    await store.init();
  });
  afterEach(async () => {
    await stopAllManagers();
    await store.close();
    await pg.dispose();
  });

  /** The positions of the items the primary alone holds, in its order. */
  const itemsOnPrimary = async (): Promise<number[]> =>
    (await readUntilHead(pg.store.openAllReader(0, { eventTypes: ['SubTestItemAdded'] }), 500)).map((e: RecordedEvent) => e.globalPosition);

  it("delivers the primary's order exactly once, with appends going on and a transaction held open across the hand-off", async () => {
    // Positions 1-400: items, with a note the subscription passes over at every twentieth.
    for (let list = 0; list < 20; list++) {
      await addItems(
        pg.store,
        `l${list % 4}`,
        Array.from({ length: 19 }, (_, i) => `i${list}-${i}`),
      );
      await append(pg.store, `notes-${list}`, [new NoteWritten('passed over')]);
    }
    await replica().caughtUp();
    const held = new HeldAppend(pg.schema.name);
    const heldOpen = gate();
    let heldPosition = 0;
    const { deliveries, definition } = recordingHandler({ name: uniqueName('replica') }, async (_event, context) => {
      const { globalPosition } = context;
      // The replica has replayed what the first page's proof needed: later pages come from it.
      if (globalPosition === 25) await replica().caughtUp();
      if (globalPosition % 40 === 1 && !heldPosition) await addItems(pg.store, 'during', [`d${globalPosition}`]);
      if (globalPosition !== 121) return;
      // Mid catch-up, a transaction draws the next position and stays open while later appends commit.
      await held.begin();
      const item = new EventSerializer([ItemAdded]).serialize(new ItemAdded('held', 'held'), { eventId: randomUUID() });
      [heldPosition] = await held.append('list-held', 1, [item]);
      await addItems(
        pg.store,
        'late',
        Array.from({ length: 30 }, (_, i) => `late-${i}`),
      );
      heldOpen.open();
    });
    const manager = managerOn(store, { settings: { batchSize: BATCH } });
    await manager.start([definition]);

    await heldOpen.opened;
    let committed = false;
    try {
      await eventually(() => expect(deliveries[deliveries.length - 1]?.position).toBe(heldPosition - 1));
      expect(await store.readCheckpoint(definition.metadata.name)).toBeLessThan(heldPosition);
      await held.end('COMMIT');
      committed = true;
    } finally {
      if (!committed) await held.end('ROLLBACK');
    }

    // Nothing is appended any more: what the primary holds now is all there is to deliver.
    await waitForHandler(pg.store, definition.metadata.name, await pg.store.headPosition());
    const expected = await itemsOnPrimary();
    expect(deliveries.map((d) => d.position)).toEqual(expected);
    expect(deliveries.map((d) => d.item)).toContain('held');
    // The standby replays the whole server's WAL, which other suites write too: a page whose proof it
    // has not replayed yet comes from the primary, by design. At least a full page came from it.
    expect((await store.replicaStatus())!.eventsRead).toBeGreaterThanOrEqual(BATCH);
  });
});
