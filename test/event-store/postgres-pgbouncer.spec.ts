import { isInvalidOptions } from '../../lib/errors/invalid-options.error.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { describeAppendInTransactionConformance, describeEventStoreConformance } from '../../lib/store.js';
import { conformanceStore } from './fixtures/conformance-store.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { eventually } from '../harness/eventually.js';
import { pgBouncerForFile } from '../harness/pgbouncer.js';
import { TEST_DATABASE_URL, testSchema } from '../harness/postgres-schema.js';

// Every statement through a real PgBouncer in transaction mode: a session lasts one transaction,
// so a named prepared statement or a session advisory lock would land on any server connection.
const bouncer = pgBouncerForFile();

const fresh = () => conformanceStore({ connectionString: bouncer.url(), pooler: 'transaction' });

describeEventStoreConformance('postgres through PgBouncer', fresh);
describeAppendInTransactionConformance('postgres through PgBouncer', fresh);

describe("the 'pooler' option", () => {
  it.each([
    [{ pooler: 'statement' }, `'eventStore.pooler' must be one of 'session', 'transaction', got "statement"`],
    [{ pooler: 'transaction', leaseTimeout: 0 }, `'eventStore.leaseTimeout' must be a positive whole number of ms, got 0`],
    [{ listenConnectionString: 5 }, `'eventStore.listenConnectionString' must be a connection string, got 5`],
  ])('refuses %j with InvalidOptionsError', (options, problem) => {
    let error: unknown;
    try {
      new PostgresEventStore(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(isInvalidOptions(error)).toBe(true);
    expect((error as { problems: string[] }).problems).toEqual([problem]);
  });
});

describe('appends of another store through PgBouncer', () => {
  it('are heard on listenConnectionString, a direct connection, while statements go through the pooler', async () => {
    const schema = await testSchema();
    const open = async (listenConnectionString?: string) => {
      const store = new PostgresEventStore({
        connectionString: bouncer.url(),
        pooler: 'transaction',
        listenConnectionString,
        schema: schema.name,
        poolSize: 2,
      });
      await store.init();
      return store;
    };
    const [writer, listener] = [await open(), await open(TEST_DATABASE_URL)];
    try {
      const heard: number[] = [];
      listener.onAppended((position) => heard.push(position));
      // LISTEN starts asynchronously: append until one is heard.
      await eventually(async () => {
        const { globalPosition } = await writer.appendToStream('s', ANY, events(1));
        await eventually(() => expect(heard).toContain(globalPosition), { timeout: 1000 });
      });
    } finally {
      await Promise.all([writer.close(), listener.close()]);
      await schema.drop();
    }
  });
});
