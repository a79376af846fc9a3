import { PGlite } from '@electric-sql/pglite';
import { events } from '../../lib/event-store/conformance/conformance-events.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeAppendInTransactionConformance, describeEventStoreConformance } from '../../lib/store.js';
import { describeGroupedAppends } from './grouped-append-suite.js';

// The partitioned layout on PGlite: the same SQL, so the same suites, with ranges so small that streams span many.
let database: PGlite | undefined;
let schemas = 0;
afterAll(() => database?.close());

const fresh = async () => {
  database ??= await PGlite.create();
  const schema = `partitioned_${++schemas}`;
  const store = new EmbeddedEventStore({ database, schema, maxPayloadBytes: CONFORMANCE_MAX_PAYLOAD_BYTES, partitioning: { rangeSize: 4 } });
  await store.init();
  return { store, schema, dispose: () => store.close() };
};

describeEventStoreConformance('embedded, partitioned', fresh);
describeAppendInTransactionConformance('embedded, partitioned', fresh);
describeGroupedAppends('embedded, partitioned', fresh, { eventIds: 'partition' });

describe('embedded store, partitioned', () => {
  it('closes the books: archives whole partitions once snapshots cover them, readers start at the cut', async () => {
    const { store, dispose } = await fresh();
    try {
      for (const stream of ['a', 'b', 'a']) await store.appendToStream(stream, ANY, events(3));
      await store.saveSnapshot({ streamId: 'a', streamVersion: 4, snapshotType: 'S', snapshotVersion: 1, data: {} });
      await store.saveSnapshot({ streamId: 'b', streamVersion: 3, snapshotType: 'S', snapshotVersion: 1, data: {} });
      expect(await store.closeBooks(9)).toMatchObject({ before: 8, partitions: [{ name: 'events_p0' }, { name: 'events_p4' }] });
      expect((await store.openAllReader(0).next(10)).map((event) => event.globalPosition)).toEqual([8, 9]);
      expect((await store.appendToStream('b', 3, events(1))).streamVersion).toBe(4);
    } finally {
      await dispose();
    }
  });
});
