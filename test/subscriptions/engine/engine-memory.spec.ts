import { InMemoryEventStore } from '../../../lib/event-store/memory/in-memory-event-store.js';
import type { EngineStoreFactory } from './engine-fixtures.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';
import { describeFilteredSubscriptions } from './filtered-subscription-conformance.js';

const factory: EngineStoreFactory = async () => {
  const store = new InMemoryEventStore();
  await store.init();
  return { store, dispose: () => store.close() };
};

describeSubscriptionEngine('memory', factory);
describeFilteredSubscriptions('memory', factory);
