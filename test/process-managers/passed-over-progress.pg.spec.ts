import { randomUUID } from 'node:crypto';
import { CommandGateway, PostgresEventStore } from '../../lib/index.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { createApp } from '../fixtures/create-app.js';
import { Add, MIRROR, Mirror, Tally } from '../fixtures/tally.js';

const PAGES = 40;

/**
 * A process manager reads every event of the types it has steps for, and most may route to no
 * instance (`Mirror` copies only `src-` tallies). Those pages are acknowledged at once, and their
 * progress is stored with the next write or a moment later, not once per page.
 */
describe('a process manager passing over events that route to no instance, on PostgreSQL', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeEach(async () => {
    schema = await testSchema('es_passed_over');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    // Every write of the process manager's row, counted by the database itself.
    const s = `"${schema.name}"`;
    await store.sql.query(`CREATE TABLE ${s}.progress_writes (position bigint NOT NULL)`);
    await store.sql.query(`CREATE FUNCTION ${s}.count_progress_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name = '${MIRROR}' THEN INSERT INTO ${s}.progress_writes VALUES (NEW.position); END IF;
        RETURN NEW;
      END $$`);
    await store.sql.query(
      `CREATE TRIGGER count_progress_writes AFTER INSERT OR UPDATE ON ${s}.subscriptions FOR EACH ROW EXECUTE FUNCTION ${s}.count_progress_write()`,
    );
  });

  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  const writes = async () =>
    (
      await store.sql.query<{ n: number; top: string | null }>(
        `SELECT count(*)::int AS n, max(position) AS top FROM "${schema.name}".progress_writes`,
      )
    ).rows[0];

  it('answers a wait for it at once, stores far fewer writes than pages, and still runs the step that comes next', async () => {
    const app = await createApp({ aggregates: [Tally], processManagers: [Mirror], options: { eventStore: store } });
    try {
      const gateway = app.get(CommandGateway);
      const id = randomUUID();
      // Each dispatch waits for the process manager by name, so each event is a page of its own.
      for (let i = 0; i < PAGES; i++) await gateway.dispatch(new Add(`plain-${id}-${i}`, 1), { consistency: [MIRROR] });
      const head = await store.headPosition();
      await eventually(async () => expect(await store.readCheckpoint(MIRROR)).toBe(head));
      const passedOver = await writes();
      console.log(`passed over: ${PAGES} pages stored in ${passedOver.n} progress writes`);
      // One write per page would be at least PAGES; the deferred write gathers pages for a second.
      expect(passedOver.n).toBeLessThanOrEqual(PAGES / 2);

      await gateway.dispatch(new Add(`src-${id}`, 5));
      await eventually(async () => expect((await store.readStream(`tally-target-${id}`)).map((event) => event.data.by)).toEqual([5]));
      const end = await store.headPosition();
      await eventually(async () => expect(await store.readCheckpoint(MIRROR)).toBe(end));
      expect(Number((await writes()).top)).toBe(end);
    } finally {
      await app.close();
    }
  });
});
