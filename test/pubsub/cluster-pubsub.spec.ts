import { InMemoryEventStore } from '../../lib/index.js';
import { PubSub } from '../../lib/pubsub/pubsub.interface.js';
import { nodeOf, startCounterNode } from '../cluster/in-process-nodes.js';
import { eventually } from '../harness/eventually.js';
import { describePubSubConformance } from './pubsub-conformance.js';

// Three cluster nodes in this process, linked over TCP on loopback like separate machines.
describePubSubConformance('cluster', 'global', async () => {
  const store = new InMemoryEventStore();
  const apps = await Promise.all(['a', 'b', 'c'].map((name) => startCounterNode(store, name)));
  await eventually(() => apps.forEach((app) => expect(nodeOf(app).members).toEqual(['a', 'b', 'c'])));
  return {
    nodes: apps.map((app) => app.get<PubSub>(PubSub)),
    dispose: async () => {
      await Promise.all(apps.map((app) => app.close()));
    },
  };
});
