import { CommandGateway, PostgresEventStore } from '../../lib/index.js';
import { Counter, Increment } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';

describe('application shutdown', () => {
  let schema: TestSchema;
  beforeEach(async () => (schema = await testSchema('es_shutdown')));
  afterEach(() => schema.drop());

  it('lets commands in flight finish before it closes the event store', async () => {
    const app = await createApp({
      aggregates: [Counter],
      options: { eventStore: { adapter: 'postgres', connectionString: TEST_DATABASE_URL, schema: schema.name } },
    });
    const gateway = app.get(CommandGateway);
    await gateway.dispatch(new Increment('drain'));
    // Both commands are accepted before the shutdown starts; the slow one is still deciding.
    const inFlight = [1, 2].map(() => gateway.dispatch<number>(new Increment('drain', 1, 300), { returning: 'aggregateVersion' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.close();
    expect(await Promise.all(inFlight)).toEqual([2, 3]);

    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    await store.init();
    expect(await store.streamVersion('counter-drain')).toBe(3);
    await store.close();
  });
});
