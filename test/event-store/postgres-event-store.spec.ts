import pg from 'pg';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { conformanceStore } from './fixtures/conformance-store.js';
import { describeAppendInTransactionConformance, describeEventStoreConformance } from '../../lib/store.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';
import { describeGroupedAppends } from './grouped-append-suite.js';

const fresh = (pool?: pg.PoolConfig) => () => conformanceStore({ pool });

describeEventStoreConformance('postgres', fresh());
describeAppendInTransactionConformance('postgres', fresh());
describeGroupedAppends('postgres', fresh());
// Backslashes in string literals are escapes on such a server: text sent as literals must still arrive exactly.
describeAppendInTransactionConformance('postgres, standard_conforming_strings off', fresh({ options: '-c standard_conforming_strings=off' }));

describe('PostgreSQL store specifics', () => {
  let schema: TestSchema;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeEach(async () => {
    schema = await testSchema();
    pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
    store = new PostgresEventStore({ existingPool: pool, schema: schema.name });
    await store.init();
    await store.sql.query(`CREATE TABLE "${schema.name}".balances (account text PRIMARY KEY, balance integer NOT NULL)`);
  });
  afterEach(async () => {
    await store.close();
    await pool.end();
    await schema.drop();
  });

  it('commits read-model rows and the checkpoint together, or neither', async () => {
    const lease = (await store.acquireSubscription('balances'))!;
    const balances = async () => (await store.sql.query(`SELECT account, balance FROM "${schema.name}".balances`)).rows;
    await lease.transaction(1, (sql) => sql.query(`INSERT INTO "${schema.name}".balances VALUES ('a', 10)`));
    expect(await balances()).toEqual([{ account: 'a', balance: 10 }]);
    expect(await store.readCheckpoint('balances')).toBe(1);
    const failed = lease.transaction(2, async (sql) => {
      await sql.query(`UPDATE "${schema.name}".balances SET balance = 99`);
      throw new Error('projection bug');
    });
    await expect(failed).rejects.toThrow('projection bug');
    expect(await balances()).toEqual([{ account: 'a', balance: 10 }]);
    expect(await store.readCheckpoint('balances')).toBe(1);
  });

  it('works on the pool it is given and leaves it open on close', async () => {
    await store.appendToStream('s', ANY, events(2));
    await store.close();
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema.name}".events`)).rows).toEqual([{ n: 2 }]);
  });
});
