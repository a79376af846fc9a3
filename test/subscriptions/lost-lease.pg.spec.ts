import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import {
  addItems,
  gate,
  keepLeases,
  type LeaseKeeping,
  managerOn,
  RecordingLogger,
  stopAllManagers,
  uniqueName,
} from './fixtures/subscription-fixtures.js';

/** Ends the server connection holding the advisory lock of subscription `name` in `schema`. */
const terminateLockHolder = (schema: string, name: string) =>
  withClient(async (client) => {
    const { rows } = await client.query(
      `WITH k AS (SELECT hashtextextended($1, 0) AS h)
       SELECT pg_terminate_backend(l.pid) AS ended FROM pg_locks l, k
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid = ((k.h >> 32) & 4294967295)::oid AND l.objid = (k.h & 4294967295)::oid`,
      [`nestjs-event-sourcing:subscription:${schema}:${name}`],
    );
    return rows.length;
  });

describe('a lost lock connection on PostgreSQL', () => {
  let schema: TestSchema;
  let store: LeaseKeeping<PostgresEventStore>;

  beforeEach(async () => {
    schema = await testSchema('es_sub');
    store = keepLeases(new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 }));
    await store.init();
    await store.sql.query(`CREATE TABLE "${schema.name}".items (position bigint NOT NULL, item text NOT NULL)`);
  });
  afterEach(async () => {
    await stopAllManagers();
    await store.close();
    await schema.drop();
  });

  it('rolls back the transaction in flight, stops delivering, and resumes exactly once on a new connection', async () => {
    const name = uniqueName('lock-dropped');
    const hold = gate();
    const entered = gate();
    const { attempts, definition } = recordingHandler(
      { name },
      async (event, context) => {
        await context.sql!.query(`INSERT INTO "${schema.name}".items (position, item) VALUES ($1, $2)`, [context.globalPosition, event.item]);
        if (attempts.length > 1) return;
        entered.open();
        await hold.opened;
      },
      'projector',
    );
    const logger = new RecordingLogger();
    const appended = await addItems(store, 'x', ['first', 'second', 'third']);
    const manager = managerOn(store, { logger, settings: { lockRetryInterval: 100 } });
    await manager.start([definition]);
    await entered.opened;

    expect(await terminateLockHolder(schema.name, name)).toBe(1);
    await eventually(() => expect(store.granted[0].lost).toBe(true));
    hold.open();

    await waitForHandler(store, name, appended.globalPosition);
    expect(logger.warnings.some((line) => line.includes(name) && line.includes('no longer held'))).toBe(true);
    expect(attempts.map((a) => a.item)).toEqual(['first', 'first', 'second', 'third']);
    const { rows } = await store.sql.query<{ position: string }>(`SELECT position FROM "${schema.name}".items ORDER BY position`);
    expect(rows.map((row) => Number(row.position))).toEqual([1, 2, 3]);
    expect(store.granted).toHaveLength(2);
  });
});
