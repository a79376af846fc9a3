import { isSubscriptionLost } from '../../lib/errors/subscription-lost.error.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { SubscriptionLease } from '../../lib/event-store/subscription-lease.interface.js';
import { eventually } from '../harness/eventually.js';
import { pgBouncerForFile } from '../harness/pgbouncer.js';
import { type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';

// Row leases through a real PgBouncer in transaction mode: held while renewed, taken over only
// once expired, and a holder that lost its lease cannot write under it.
const bouncer = pgBouncerForFile();

/** Long enough that no renewal runs during a test: the row expires only when the test says so. */
const NEVER_RENEWED = 600_000;

interface LeaseRow {
  lease_epoch: string | null;
  expires: Date | null;
  position: string;
}

describe('subscription leases through PgBouncer (pooler transaction)', () => {
  let schema: TestSchema;
  const stores: PostgresEventStore[] = [];

  const open = async (leaseTimeout: number) => {
    const store = new PostgresEventStore({ connectionString: bouncer.url(), pooler: 'transaction', leaseTimeout, schema: schema.name, poolSize: 3 });
    stores.push(store);
    await store.init();
    return store;
  };
  const row = async (name: string): Promise<LeaseRow> =>
    withClient(async (client) => {
      const { rows } = await client.query<LeaseRow>(
        `SELECT lease_epoch, lease_expires_at AS expires, position
           FROM "${schema.name}".subscriptions WHERE name = $1`,
        [name],
      );
      return rows[0];
    });
  /** What a holder whose renewals stopped for a whole timeout leaves behind. */
  const expire = (name: string) =>
    withClient((client) =>
      client.query(`UPDATE "${schema.name}".subscriptions SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE name = $1`, [name]),
    );
  const noted = async () =>
    withClient(async (client) => (await client.query<{ n: number }>(`SELECT n FROM "${schema.name}".noted ORDER BY n`)).rows.map((r) => r.n));

  beforeEach(async () => {
    schema = await testSchema('es_rowlease');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  const writes: Array<[string, (lease: SubscriptionLease, table: string) => Promise<unknown>]> = [
    ['a checkpoint', (lease) => lease.saveCheckpoint(9)],
    ['a transaction with its checkpoint', (lease, table) => lease.transaction(9, (sql) => sql.query(`INSERT INTO ${table} VALUES (9)`))],
    ['progress', (lease) => lease.saveProgress({ checkpoint: 9, finished: [] })],
    ['a reset', (lease, table) => lease.reset(0, (sql) => sql.query(`INSERT INTO ${table} VALUES (0)`))],
  ];

  it.each(writes)('a holder whose lease was taken over after it expired cannot write %s under it', async (_write, write) => {
    const holder = await open(NEVER_RENEWED);
    const taker = await open(NEVER_RENEWED);
    await holder.sql.query(`CREATE TABLE "${schema.name}".noted (n integer NOT NULL)`);
    const held = (await holder.acquireSubscription('projector', 'node-a'))!;
    await held.saveCheckpoint(2);
    expect(await taker.acquireSubscription('projector', 'node-b')).toBeUndefined();

    await expire('projector');
    const taken = (await taker.acquireSubscription('projector', 'node-b'))!;
    expect(taken.epoch).toBe(held.epoch + 1);
    expect(taken.granted.progress.checkpoint).toBe(2);
    // No renewal has told the old holder yet: only the epoch in the store stands in its way.
    expect(held.lost).toBe(false);

    const refused = await write(held, `"${schema.name}".noted`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isSubscriptionLost(refused)).toBe(true);
    expect(held.lost).toBe(true);
    expect(await noted()).toEqual([]);
    expect(Number((await row('projector')).position)).toBe(2);
    await taken.saveCheckpoint(3);
    expect(Number((await row('projector')).position)).toBe(3);
  });

  it('keeps a renewed lease past its first expiry, and frees a released one at once', async () => {
    const holder = await open(5000);
    const contender = await open(5000);
    const held = (await holder.acquireSubscription('projector', 'node-a'))!;
    const first = await row('projector');
    const pastFirstExpiry = async () =>
      (await withClient((client) => client.query<{ past: boolean }>('SELECT clock_timestamp() > $1 AS past', [first.expires]))).rows[0].past;
    let last = first.expires!.getTime();
    // Each renewal seen is followed by a refused takeover, until the database's clock is past the first
    // expiry; past it the lease still holds, only because it was renewed.
    while (!(await pastFirstExpiry())) {
      await eventually(async () => expect((await row('projector')).expires!.getTime()).toBeGreaterThan(last), { interval: 100 });
      last = (await row('projector')).expires!.getTime();
      expect(await contender.acquireSubscription('projector', 'node-b')).toBeUndefined();
    }
    expect(await contender.acquireSubscription('projector', 'node-b')).toBeUndefined();
    expect(held.lost).toBe(false);
    expect((await row('projector')).lease_epoch).toBe(String(held.epoch));

    await held.release();
    const taken = (await contender.acquireSubscription('projector', 'node-b'))!;
    expect(taken.epoch).toBe(held.epoch + 1);
  });

  it('lets the holder give up and take again the lease a restart moved to a new epoch', async () => {
    const holder = await open(NEVER_RENEWED);
    const held = (await holder.acquireSubscription('projector', 'node-a'))!;
    await holder.control.requestRestart('projector');
    await expect(held.saveCheckpoint(1)).rejects.toThrow();
    await held.release();
    const again = (await holder.acquireSubscription('projector', 'node-a'))!;
    expect(again.epoch).toBe(held.epoch + 2);
    expect((await row('projector')).lease_epoch).toBe(String(again.epoch));
  });
});
