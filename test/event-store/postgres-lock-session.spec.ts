import pg from 'pg';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';

type ClientInternals = { _queryQueue: unknown[]; activeQuery: unknown };

describe('PostgreSQL subscription lock connection', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept unbound: put back on the prototype, applied with each client as `this`
  const query = pg.Client.prototype.query;
  let overlapping = 0;

  beforeEach(async () => {
    schema = await testSchema();
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    // pg's own condition for "Calling client.query() when the client is already executing a query"
    // (deprecated in pg 8, refused by pg 9). Jest's sandboxed `process` never hears the real warning.
    overlapping = 0;
    pg.Client.prototype.query = function (this: ClientInternals, ...args: unknown[]) {
      if (this._queryQueue.length > 0 || this.activeQuery) overlapping++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  });
  afterEach(async () => {
    pg.Client.prototype.query = query;
    await store.close();
    await schema.drop();
  });

  it('runs one query at a time on the shared lock connection while many subscriptions start together', async () => {
    const leases = await Promise.all(Array.from({ length: 10 }, (_, i) => store.acquireSubscription(`projector-${i}`)));
    expect(leases.every((lease) => lease !== undefined)).toBe(true);
    await Promise.all(leases.map((lease) => lease!.release()));
    expect(overlapping).toBe(0);
  });
});
