import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { memoryCountModel } from './fixtures/counting-projector.js';
import { describeSubscriptionControl } from './subscription-control-conformance.js';

describeSubscriptionControl('memory', async () => {
  const store = new InMemoryEventStore();
  return { store, peer: store, model: memoryCountModel(), dispose: async () => undefined };
});
