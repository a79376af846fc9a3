import { PGlite } from '@electric-sql/pglite';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeAppendInTransactionConformance, describeEventStoreConformance } from '../../lib/store.js';
import { describeGroupedAppends } from './grouped-append-suite.js';

// One database for the whole suite, a fresh schema per test: starting PGlite costs seconds, a
// schema milliseconds. test/event-store/embedded-persistence.spec.ts covers a store owning its database.
let database: PGlite | undefined;
let schemas = 0;
afterAll(() => database?.close());

const fresh = async () => {
  database ??= await PGlite.create();
  const schema = `conformance_${++schemas}`;
  const store = new EmbeddedEventStore({ database, schema, maxPayloadBytes: CONFORMANCE_MAX_PAYLOAD_BYTES });
  await store.init();
  return { store, schema, dispose: () => store.close() };
};

describeEventStoreConformance('embedded', fresh);
describeAppendInTransactionConformance('embedded', fresh);
describeGroupedAppends('embedded', fresh);
