import { InMemoryEventStore } from '../../../lib/event-store/memory/in-memory-event-store.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';

describeSubscriptionEngine('memory', async () => {
  const store = new InMemoryEventStore();
  await store.init();
  return { store, dispose: () => store.close() };
});
