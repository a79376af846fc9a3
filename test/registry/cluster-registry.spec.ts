import { InMemoryEventStore } from '../../lib/index.js';
import { nodeOf, startCounterNode } from '../cluster/in-process-nodes.js';
import { eventually } from '../harness/eventually.js';
import { describeRegistryConformance } from './registry-conformance.js';

// Two cluster nodes (global registry) in this process, linked over TCP on loopback, on one shared store.
describeRegistryConformance('cluster', 'one owner', async () => {
  const store = new InMemoryEventStore();
  const names = ['a', 'b'];
  const apps = await Promise.all(names.map((name) => startCounterNode(store, name)));
  await eventually(() => apps.forEach((app) => expect(nodeOf(app).members).toEqual(names)));
  return {
    apps,
    store,
    ownerOf: (streamId) => names.indexOf(nodeOf(apps[0]).ownerOf(streamId)),
    dispose: async () => void (await Promise.allSettled(apps.map((app) => app.close()))),
  };
});
