import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeEventStoreConformance } from './event-store-conformance.js';

describeEventStoreConformance('embedded', async () => {
  const store = new EmbeddedEventStore({ maxPayloadBytes: CONFORMANCE_MAX_PAYLOAD_BYTES });
  await store.init();
  return { store, dispose: () => store.close() };
});
