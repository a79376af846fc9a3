import pg from 'pg';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';

type ClientInternals = { _queryQueue: unknown[]; activeQuery: unknown };

const textOf = (args: unknown[]): string => (typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text));

describe('PostgreSQL subscription lock connection', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept unbound: put back on the prototype, applied with each client as `this`
  const query = pg.Client.prototype.query;
  let overlapping = 0;
  let statements: string[] = [];

  beforeEach(async () => {
    schema = await testSchema();
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    // pg's own condition for "Calling client.query() when the client is already executing a query"
    // (deprecated in pg 8, refused by pg 9). Jest's sandboxed `process` never hears the real warning.
    overlapping = 0;
    statements = [];
    pg.Client.prototype.query = function (this: ClientInternals, ...args: unknown[]) {
      if (this._queryQueue.length > 0 || this.activeQuery) overlapping++;
      statements.push(textOf(args));
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

  it('takes the leases asked for together in one statement, only those no other process holds, and gives them back in one', async () => {
    const other = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await other.init();
    try {
      const elsewhere = (await other.acquireSubscription('b', 'other'))!;
      statements = [];
      const leases = await Promise.all(['a', 'b', 'c'].map((name) => store.acquireSubscription(name, 'this')));
      expect(leases.map((lease) => lease?.granted.control.owner)).toEqual(['this', undefined, 'this']);
      expect(statements.filter((text) => text.includes('pg_try_advisory_lock'))).toHaveLength(1);
      statements = [];
      await Promise.all(leases.map((lease) => lease?.release() ?? Promise.resolve()));
      expect(statements.filter((text) => text.includes('pg_advisory_unlock'))).toHaveLength(1);
      expect(await store.acquireSubscription('b', 'this')).toBeUndefined();
      await elsewhere.release();
      const taken = (await store.acquireSubscription('b', 'this'))!;
      expect(taken.granted.control).toMatchObject({ owner: 'this', epoch: elsewhere.epoch + 1 });
      await taken.release();
      expect((await store.control.listControl()).map((s) => [s.name, s.owner])).toEqual([
        ['a', null],
        ['b', null],
        ['c', null],
      ]);
    } finally {
      await other.close();
    }
  });
});
