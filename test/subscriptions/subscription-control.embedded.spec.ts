import { PGlite } from '@electric-sql/pglite';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { sqlCountModel } from './fixtures/counting-projector.js';
import { describeSubscriptionControl } from './subscription-control-conformance.js';

// One PGlite database for the suite, a schema per test. PGlite is one session in one process, so
// the peer is the same store (two stores on it would share one lock session).
let database: PGlite | undefined;
let schemas = 0;
afterAll(() => database?.close());

describeSubscriptionControl('embedded', async () => {
  database ??= await PGlite.create();
  const schema = `control_${++schemas}`;
  const store = new EmbeddedEventStore({ database, schema });
  await store.init();
  const model = await sqlCountModel(store, `"${schema}".counts`);
  return { store, peer: store, model, dispose: () => store.close() };
});
