import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { nodeOf, startCounterNode } from '../cluster/in-process-nodes.js';
import { eventually } from '../harness/eventually.js';
import { pgBouncerForFile } from '../harness/pgbouncer.js';
import { testSchema } from '../harness/postgres-schema.js';
import { describeRegistryConformance } from './registry-conformance.js';

// Two cluster nodes, each on a store of its own, both through a real PgBouncer in transaction mode:
// membership heartbeats, appends and command records as a deployment behind the pooler runs them.
const bouncer = pgBouncerForFile();

describeRegistryConformance('cluster on PostgreSQL through PgBouncer', 'one owner', async () => {
  const schema = await testSchema('es_reg');
  const open = async () => {
    const store = new PostgresEventStore({ connectionString: bouncer.url(), pooler: 'transaction', schema: schema.name, poolSize: 4 });
    await store.init();
    return store;
  };
  const stores = [await open(), await open()];
  const names = ['a', 'b'];
  const apps = await Promise.all(names.map((name, i) => startCounterNode(stores[i], name)));
  await eventually(() => apps.forEach((app) => expect(nodeOf(app).members).toEqual(names)));
  return {
    apps,
    store: stores[0],
    ownerOf: (streamId) => names.indexOf(nodeOf(apps[0]).ownerOf(streamId)),
    dispose: async () => {
      await Promise.allSettled(apps.map((app) => app.close()));
      await Promise.all(stores.map((store) => store.close()));
      await schema.drop();
    },
  };
});
