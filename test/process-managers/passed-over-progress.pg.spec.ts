import { randomUUID } from 'node:crypto';
import { CommandGateway, PostgresEventStore } from '../../lib/index.js';
import { eventually } from '../harness/eventually.js';
import { countProgressWrites, type ProgressWrites } from '../harness/progress-writes.js';
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
  let progressWrites: () => Promise<Map<string, ProgressWrites>>;

  beforeEach(async () => {
    schema = await testSchema('es_passed_over');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    progressWrites = await countProgressWrites(store.sql, schema.name);
  });

  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  const writes = async () => (await progressWrites()).get(MIRROR) ?? { writes: 0, top: 0 };

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
      console.log(`passed over: ${PAGES} pages stored in ${passedOver.writes} progress writes`);
      // One write per page would be at least PAGES; the deferred write gathers pages for a second.
      expect(passedOver.writes).toBeLessThanOrEqual(PAGES / 2);

      await gateway.dispatch(new Add(`src-${id}`, 5));
      await eventually(async () => expect((await store.readStream(`tally-target-${id}`)).map((event) => event.data.by)).toEqual([5]));
      const end = await store.headPosition();
      await eventually(async () => expect(await store.readCheckpoint(MIRROR)).toBe(end));
      expect((await writes()).top).toBe(end);
    } finally {
      await app.close();
    }
  });
});
