import { randomUUID } from 'node:crypto';
import { CommandGateway, type EventStore, TaggedStateCodec } from '../../lib/index.js';
import { eventually } from '../harness/eventually.js';
import { createApp } from '../fixtures/create-app.js';
import { SHARED_STORES } from '../fixtures/shared-stores.js';
import { Add, MIRROR, Mirror, Tally } from '../fixtures/tally.js';

/**
 * A real database trigger makes saving process-manager state fail while `<schema>.refuse_pm_saves`
 * has a row: the step's command has run, its state is not saved, so the step runs again later.
 */
async function refusePmSaves(store: EventStore, schema: string): Promise<{ allow(): Promise<unknown> }> {
  const sql = store.sql!;
  await sql.query(`CREATE TABLE "${schema}".refuse_pm_saves (reason text)`);
  await sql.query(`INSERT INTO "${schema}".refuse_pm_saves VALUES ('state store down')`);
  await sql.query(`CREATE FUNCTION "${schema}".refuse_pm_save() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.stream_id LIKE '$pm-%' AND EXISTS (SELECT 1 FROM "${schema}".refuse_pm_saves) THEN
        RAISE EXCEPTION 'process manager state refused for %', NEW.stream_id;
      END IF;
      RETURN NEW;
    END $$`);
  await sql.query(`CREATE TRIGGER refuse_pm_saves BEFORE INSERT OR UPDATE ON "${schema}".snapshots
    FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_pm_save()`);
  return { allow: () => sql.query(`DELETE FROM "${schema}".refuse_pm_saves`) };
}

const SQL_STORES = SHARED_STORES.filter(([adapter]) => adapter !== 'memory');

describe.each(SQL_STORES)('process manager steps re-run on the %s store', (_adapter, sharedStore) => {
  it('produce their commands once even after the target aggregate received 45 other commands', async () => {
    const shared = await sharedStore();
    const store = await shared.open();
    const saves = await refusePmSaves(store, shared.schema!);
    const app = await createApp({
      aggregates: [Tally],
      processManagers: [Mirror],
      options: { eventStore: store, subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 50, maxAttempts: 30 } },
    });
    try {
      const gateway = app.get(CommandGateway);
      const id = randomUUID();
      const target = () => store.readStream(`tally-target-${id}`);
      await gateway.dispatch(new Add(`src-${id}`, 7));
      // The step dispatched its deposit, then failed to save its state: it will run again.
      await eventually(async () => expect((await target()).map((e) => e.data.by)).toEqual([7]));
      for (let i = 0; i < 45; i++) await gateway.dispatch(new Add(`target-${id}`, 1));
      await saves.allow();
      const saved = async () => new TaggedStateCodec().decode((await store.readSnapshot(`$pm-${MIRROR}-src-${id}`))?.data ?? {});
      await eventually(async () => expect(await saved()).toEqual({ copied: 7 }));
      const amounts = (await target()).map((e) => e.data.by);
      expect(amounts).toHaveLength(46);
      expect(amounts.filter((by) => by === 7)).toHaveLength(1);
    } finally {
      await app.close();
      await shared.close();
    }
  });
});
