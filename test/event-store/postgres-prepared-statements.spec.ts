import { ANY } from '../../lib/event-store/expected-version.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';
import type { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { withClient } from '../harness/postgres-schema.js';
import { usePostgresStore } from '../harness/postgres-store.js';

/**
 * The store's hot statements (a stream read, a checkpoint, progress, process states) go as named
 * prepared statements, parsed and planned once per connection, and unnamed under a transaction
 * pooler. A prepared statement outlives migrations on its connection, so each must name its
 * columns: a `*` prepared before a migration adds a column fails after it.
 */
describe('PostgreSQL prepared statements', () => {
  /** A pool of one: every pooled statement runs on the connection whose prepared statements the test lists. */
  const fixture = usePostgresStore({ poolSize: 1 });
  const openStore = (pooler?: 'transaction') => fixture.open({ pooler });

  /** Runs each hot statement once, and checks what it read or wrote. */
  const runHotStatements = async (store: PostgresEventStore, round: number) => {
    const appended = await store.appendToStream(`account-${round}`, ANY, events(3));
    expect((await store.readStream(`account-${round}`)).map((event) => event.streamVersion)).toEqual([1, 2, 3]);
    expect((await store.readStream(`account-${round}`, { direction: 'backward', maxCount: 1 }))[0].streamVersion).toBe(3);
    const lease = (await store.acquireSubscription(`projector-${round}`))!;
    try {
      await lease.saveCheckpoint(appended.globalPosition - 2);
      await lease.saveProgress({ checkpoint: appended.globalPosition - 1, finished: [appended.globalPosition] });
      await lease.transaction(appended.globalPosition, async () => undefined);
      expect(await lease.readCheckpoint()).toBe(appended.globalPosition);
    } finally {
      await lease.release();
    }
    const state = { streamId: `transfer-state-${round}`, streamVersion: 1, snapshotType: 'Transfer', snapshotVersion: 1, data: { round } };
    await store.scheduledCommands.commitProcess({
      processManager: 'transfers',
      processId: `t${round}`,
      stateStreamId: state.streamId,
      state,
      schedule: [],
      cancel: [],
    });
    expect((await store.readSnapshot(state.streamId))?.data).toEqual({ round });
  };

  const preparedNames = async (store: PostgresEventStore) =>
    (
      await store.sql.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY name`, [
        `es\\_%\\_${fixture.schema.name}`,
      ])
    ).rows.map((row) => row.name.slice(0, -fixture.schema.name.length - 1));

  it('prepares the hot statements once per connection, and they keep working after a migration adds columns', async () => {
    const store = await openStore();
    await runHotStatements(store, 1);
    expect(await preparedNames(store)).toEqual(
      expect.arrayContaining(['es_checkpoint', 'es_progress', 'es_states', 'es_stream_backward', 'es_stream_forward']),
    );

    await withClient(async (client) => {
      for (const table of ['events', 'subscriptions', 'snapshots', 'scheduled_commands']) {
        await client.query(`ALTER TABLE "${fixture.schema.name}".${table} ADD COLUMN added_later text`);
      }
    });
    await runHotStatements(store, 2);
  });

  it('prepares none of them under a transaction pooler, which hands each transaction any server connection', async () => {
    const store = await openStore('transaction');
    await runHotStatements(store, 1);
    expect(await preparedNames(store)).toEqual([]);
  });
});
