import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';
import { type PostgresFixture, postgresFixture } from './fixtures/postgres-store.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, gate, managerOn, RecordingLogger, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

describe('a reset fences the owner that was working when it was asked for (PostgreSQL)', () => {
  let pg: PostgresFixture;
  let peer: PostgresEventStore;

  beforeEach(async () => {
    pg = await postgresFixture();
    peer = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: pg.schema.name, poolSize: 2 });
    await peer.init();
  });
  afterEach(async () => {
    await stopAllManagers();
    await peer.close();
    await pg.dispose();
  });

  it('rolls back the page in flight: its read-model writes never land after the reset', async () => {
    const name = uniqueName('fenced');
    const entered = gate();
    const release = gate();
    let holding = true;
    const { definition } = recordingHandler(
      { name },
      async (event, context) => {
        await context.sql!.query(`INSERT INTO ${pg.items} (position, item) VALUES ($1, $2)`, [context.globalPosition, event.item]);
        if (event.item !== 'held' || !holding) return;
        holding = false;
        entered.open();
        await release.opened;
      },
      'projector',
    );
    await addItems(pg.store, 'a', ['one', 'held']);
    const logger = new RecordingLogger();
    await managerOn(pg.store, { logger }).start([definition]);
    await entered.opened;

    // Another process's request, while the owner's transaction holds both rows uncommitted.
    expect(await peer.control.requestReset(name, 'current')).toMatchObject({ resetTo: 2 });
    release.open();

    await eventually(async () => expect(await pg.store.control.readControl(name)).toMatchObject({ resetTo: null, position: 2 }));
    // Without the fence, the stale transaction would have committed rows 1 and 2; the reset skips them.
    expect(await pg.rows()).toEqual([]);
    expect(logger.warnings.some((warning) => warning.includes('is no longer held by this process'))).toBe(true);

    const after = await addItems(pg.store, 'a', ['after']);
    await waitForHandler(pg.store, name, after.globalPosition);
    expect(await pg.rows()).toEqual([{ position: 3, item: 'after' }]);
  });
});
