import { InMemoryEventStore } from '../../lib/index.js';
import { Counter } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { describeRegistryConformance } from './registry-conformance.js';

// Two independent nodes (local registry, local pubsub) in this process, on one shared store.
describeRegistryConformance('local', 'every node', async () => {
  const store = new InMemoryEventStore();
  const apps = await Promise.all(
    ['a', 'b'].map((nodeName) => createApp({ aggregates: [Counter], options: { eventStore: store, nodeName, registry: 'local', pubsub: 'local' } })),
  );
  return { apps, store, dispose: async () => void (await Promise.allSettled(apps.map((app) => app.close()))) };
});
