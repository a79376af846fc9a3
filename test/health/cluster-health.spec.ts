import type { INestApplication } from '@nestjs/common';
import { EventSourcingHealthIndicator, InMemoryEventStore } from '../../lib/index.js';
import { nodeOf, startCounterNode } from '../cluster/in-process-nodes.js';
import { eventually } from '../harness/eventually.js';

describe('EventSourcingHealthIndicator in cluster mode', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const ready = async (app: INestApplication) => (await app.get(EventSourcingHealthIndicator).isReady('cluster'))['cluster'];

  it('reports this node a member and counts the members; a node that left is no longer counted', async () => {
    const store = new InMemoryEventStore();
    apps.push(await startCounterNode(store, 'health-a'), await startCounterNode(store, 'health-b'));
    for (const app of apps) {
      await eventually(async () => expect(await ready(app)).toMatchObject({ status: 'up', cluster: { member: true, members: 2 }, problems: [] }));
    }
    expect((await ready(apps[0])).pubsub).toEqual({ transport: 'global', connected: true });

    await apps.pop()!.close();
    await eventually(async () => expect(await ready(apps[0])).toMatchObject({ status: 'up', cluster: { member: true, members: 1 } }));
  });

  it('is not ready once this node has left the cluster', async () => {
    const store = new InMemoryEventStore();
    const app = await startCounterNode(store, 'health-leaving');
    apps.push(app);
    await eventually(async () => expect(await ready(app)).toMatchObject({ cluster: { member: true } }));
    await nodeOf(app).leave();
    const left = await eventually(async () => {
      const health = await ready(app);
      expect(health.cluster).toMatchObject({ member: false });
      return health;
    });
    expect(left).toMatchObject({ status: 'down', problems: [`node 'health-leaving' is not a member of the cluster`] });
  });
});
