import { LocalPubSub } from '../../lib/pubsub/local/local-pubsub.js';
import { describePubSubConformance } from './pubsub-conformance.js';

describePubSubConformance('local', 'local', async () => {
  const pubsub = new LocalPubSub('single-node');
  await pubsub.init();
  return { nodes: [pubsub], dispose: () => pubsub.close() };
});
