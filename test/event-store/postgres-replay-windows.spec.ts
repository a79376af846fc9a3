import pg from 'pg';
import { MIGRATIONS } from '../../lib/event-store/sql/migrations.js';
import { sqlSchema } from '../../lib/event-store/sql/sql-schema.js';
import { partitionName } from '../../lib/event-store/stream-partition.js';
import { lockWaiters } from '../harness/lock-waiters.js';
import { TEST_DATABASE_URL, withClient } from '../harness/postgres-schema.js';
import { usePostgresStore } from '../harness/postgres-store.js';

/**
 * Replay windows where PostgreSQL's concurrency decides them: a grant that queues behind a reset
 * of the same row, and stores written before the window became columns of the row.
 */
describe('PostgreSQL replay windows', () => {
  const fixture = usePostgresStore({ poolSize: 4 });
  const openStore = (pooler?: 'transaction') => fixture.open({ pooler });

  /** Resolves once `count` statements on this schema's subscriptions wait for a row lock. */
  const waitingOnSubscriptions = (count: number) => lockWaiters(fixture.store!.sql, `%"${fixture.schema.name}".subscriptions%`, count);

  it.each([
    ['advisory-lock leases', undefined],
    ['row leases', 'transaction' as const],
  ])('grants a partition that waited on a reset the checkpoint and the replay window of that reset together (%s)', async (_, pooler) => {
    const store = await openStore(pooler);
    const lease = (await store.acquireSubscription('spread'))!;
    await lease.saveCheckpoint(10);
    await store.subscriptionPartitions.split(lease, 2, 0);
    const partition = partitionName('spread', 0);

    // A transaction of the test holds the partition's row, so the reset, then the grant, queue on it.
    const blocker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "${fixture.schema.name}".subscriptions WHERE name = $1 FOR UPDATE`, [partition]);
      const reset = lease.reset(0, async () => 'reset');
      await waitingOnSubscriptions(1);
      const grant = store.acquireSubscription(partition);
      await waitingOnSubscriptions(2);
      await blocker.query('COMMIT');

      expect(await reset).toBe('reset');
      const granted = (await grant)!;
      expect(granted.granted.progress).toEqual({ checkpoint: 0, finished: [], replay: { after: 0, upTo: 10 } });
      expect(await granted.readProgress()).toEqual(granted.granted.progress);
      await granted.release();
    } finally {
      await blocker.end();
    }
    await lease.release();
  });

  it('keeps the replay windows a store recorded before migration 16, and lists only subscriptions', async () => {
    const s = sqlSchema(fixture.schema.name);
    await withClient(async (client) => {
      await client.query(`CREATE SCHEMA ${s.quoted}`);
      await client.query(
        `CREATE TABLE ${s.quoted}.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const migration of MIGRATIONS.filter((m) => m.version < 16)) {
        for (const statement of migration.statements(s)) await client.query(statement);
        await client.query(`INSERT INTO ${s.quoted}.migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      }
      // As migration 15 kept them: the window in a row of its own beside the subscription's.
      await client.query(`INSERT INTO ${s.quoted}.subscriptions (name, position) VALUES ('reset-once', 4), ('never-reset', 9)`);
      await client.query(`INSERT INTO ${s.quoted}.subscriptions (name, position, reset_to) VALUES ('$replay-reset-once', 12, 3)`);
    });

    const store = await openStore();
    const once = (await store.acquireSubscription('reset-once'))!;
    expect(once.granted.progress).toEqual({ checkpoint: 4, finished: [], replay: { after: 3, upTo: 12 } });
    const never = (await store.acquireSubscription('never-reset'))!;
    expect(never.granted.progress).toEqual({ checkpoint: 9, finished: [] });
    expect((await store.control.listControl()).map((state) => state.name)).toEqual(['never-reset', 'reset-once']);
    await Promise.all([once.release(), never.release()]);
  });
});
