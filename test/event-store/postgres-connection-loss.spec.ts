import { isStoreUnavailable } from '../../lib/errors/store-unavailable.error.js';
import { isSubscriptionLost } from '../../lib/errors/subscription-lost.error.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';

/** Terminates the store's server sessions matching `condition` (SQL on pg_stat_activity `a`); returns how many. */
const terminate = (applicationName: string, condition = 'true') =>
  withClient(async (client) => {
    const { rows } = await client.query(`SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.application_name = $1 AND ${condition}`, [
      applicationName,
    ]);
    return rows.length;
  });

const LOCK_HOLDER = `a.pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)`;

describe('PostgreSQL connection loss', () => {
  let schema: TestSchema;
  const stores: PostgresEventStore[] = [];
  const openStore = async (applicationName: string) => {
    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, pool: { application_name: applicationName } });
    stores.push(store);
    await store.init();
    return store;
  };
  let app: string;
  let store: PostgresEventStore;

  beforeEach(async () => {
    schema = await testSchema();
    app = `${schema.name}_a`;
    store = await openStore(app);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await schema.drop();
  });

  it('fails a statement whose connection is killed with the retryable StoreUnavailableError, then recovers', async () => {
    const sleeping = store.sql.query('SELECT pg_sleep(30)').catch((error: unknown) => error);
    await eventually(async () => expect(await terminate(app, `a.query LIKE 'SELECT pg_sleep(30)%'`)).toBe(1));
    const error = await sleeping;
    expect(isStoreUnavailable(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect(await store.headPosition()).toBe(0);
  });

  it('loses no acknowledged event when every connection is killed between appends', async () => {
    const acknowledged: RecordedEvent[] = [];
    const appendWithRetry = async (streamId: string) => {
      const batch = events(2);
      for (let attempt = 0; ; attempt++) {
        try {
          return acknowledged.push(...(await store.appendToStream(streamId, ANY, batch)).events);
        } catch (error) {
          if (!isStoreUnavailable(error) || attempt > 5) throw error;
        }
      }
    };
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 4 }, (_, i) => appendWithRetry(`s-${i}`)));
      expect(await terminate(app)).toBeGreaterThan(0);
    }
    await appendWithRetry('last');
    const stored = await store.readStream('last');
    expect(stored).toHaveLength(2);
    const all = await store.openAllReader(0).next(1000);
    expect(all.map((e) => e.eventId)).toEqual(acknowledged.sort((x, y) => x.globalPosition - y.globalPosition).map((e) => e.eventId));
  });

  it('listens again after its listening connection is killed', async () => {
    const heard: number[] = [];
    store.onAppended((position) => heard.push(position));
    const writer = await openStore(`${schema.name}_w`);
    await eventually(
      async () => {
        await writer.appendToStream('s', ANY, events(1));
        expect(heard.length).toBeGreaterThan(0);
      },
      { interval: 100 },
    );
    expect(await terminate(app, `a.query LIKE 'LISTEN%'`)).toBe(1);
    // Notifications go out after the commit, so the latest append may not be heard yet: any
    // append made after the kill being heard proves the listener is back.
    const appendedAfterKill: number[] = [];
    await eventually(
      async () => {
        appendedAfterKill.push((await writer.appendToStream('s', ANY, events(1))).globalPosition);
        expect(heard.some((position) => appendedAfterKill.includes(position))).toBe(true);
      },
      { interval: 300 },
    );
  });

  it('marks leases lost at once when the lock connection dies, and lets another process take over', async () => {
    const lease = (await store.acquireSubscription('projector'))!;
    await lease.saveCheckpoint(4);
    const other = await openStore(`${schema.name}_b`);
    expect(await other.acquireSubscription('projector')).toBeUndefined();
    await store.sql.query(`CREATE TABLE "${schema.name}".read_model (id integer)`);

    let lostCalls = 0;
    lease.onLost(() => lostCalls++);
    // A projection transaction in flight when the lock goes must roll back, read model included.
    const inFlight = lease.transaction(9, async (sql) => {
      await sql.query(`INSERT INTO "${schema.name}".read_model VALUES (1)`);
      await eventually(() => expect(lease.lost).toBe(true));
    });
    expect(await terminate(app, LOCK_HOLDER)).toBe(1);
    expect(isSubscriptionLost(await inFlight.catch((e: unknown) => e))).toBe(true);
    expect(lostCalls).toBe(1);

    const successor = await eventually(async () => {
      const taken = await other.acquireSubscription('projector');
      expect(taken).toBeDefined();
      return taken!;
    });
    expect(isSubscriptionLost(await lease.saveCheckpoint(10).catch((e: unknown) => e))).toBe(true);
    expect(await other.readCheckpoint('projector')).toBe(4);
    expect((await store.sql.query(`SELECT * FROM "${schema.name}".read_model`)).rows).toEqual([]);
    await successor.saveCheckpoint(5);
    // The store that lost its lock connection opens a new one for later acquires.
    expect(await store.acquireSubscription('another')).toBeDefined();
  });

  it('refuses the checkpoint write of an owner whose epoch was taken over, even if it believes it holds the lock', async () => {
    const zombie = (await store.acquireSubscription('projector'))!;
    await zombie.saveCheckpoint(3);
    // What a successor's acquire does after the zombie's lock silently expired.
    await withClient((client) => client.query(`UPDATE "${schema.name}".subscriptions SET epoch = epoch + 1 WHERE name = 'projector'`));
    expect(isSubscriptionLost(await zombie.transaction(8, async () => 'work').catch((e: unknown) => e))).toBe(true);
    expect(zombie.lost).toBe(true);
    expect(await store.readCheckpoint('projector')).toBe(3);
  });
});
