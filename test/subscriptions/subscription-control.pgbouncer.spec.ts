import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { pgBouncerForFile } from '../harness/pgbouncer.js';
import { testSchema } from '../harness/postgres-schema.js';
import { sqlCountModel } from './fixtures/counting-projector.js';
import { describeSubscriptionControl } from './subscription-control-conformance.js';

// As subscription-control.pg.spec.ts, through a real PgBouncer in transaction mode: row leases, and
// a reset or restart (which raises the epoch) must still let the owner give its row up and take it again.
const bouncer = pgBouncerForFile();

describeSubscriptionControl('postgres through PgBouncer', async () => {
  const schema = await testSchema('es_ctl');
  const open = async () => {
    const store = new PostgresEventStore({ connectionString: bouncer.url(), pooler: 'transaction', schema: schema.name, poolSize: 4 });
    await store.init();
    return store;
  };
  const store = await open();
  const peer = await open();
  const model = await sqlCountModel(store, `"${schema.name}".counts`);
  return {
    store,
    peer,
    model,
    dispose: async () => {
      await Promise.all([store.close(), peer.close()]);
      await schema.drop();
    },
  };
});
