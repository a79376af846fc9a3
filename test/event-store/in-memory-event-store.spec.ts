import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeEventStoreConformance } from './event-store-conformance.js';

describeEventStoreConformance('memory', async () => {
  const store = new InMemoryEventStore(CONFORMANCE_MAX_PAYLOAD_BYTES);
  await store.init();
  return { store, dispose: () => store.close() };
});
