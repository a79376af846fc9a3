import type { INestApplication } from '@nestjs/common';
import { CommandGateway, InMemoryEventStore } from '../../lib/index.js';
import { eventually } from '../harness/eventually.js';
import { createApp } from '../fixtures/create-app.js';
import { Money, OpenVault, PeekVault, StockVault, Vault } from '../fixtures/vault.js';
import { nodeOf } from './in-process-nodes.js';

const store = new InMemoryEventStore();
const startNode = (nodeName: string) =>
  createApp({
    aggregates: [Vault],
    options: {
      eventStore: store,
      registry: 'global',
      pubsub: 'global',
      nodeName,
      stateClasses: [Money],
      cluster: { listen: { host: '127.0.0.1', port: 0 }, heartbeatInterval: 100, nodeTimeout: 5000 },
    },
  });

describe('aggregate state returned across the cluster', () => {
  let a: INestApplication;
  let b: INestApplication;
  beforeAll(async () => {
    [a, b] = await Promise.all([startNode('a'), startNode('b')]);
    await eventually(() => expect([nodeOf(a).members.length, nodeOf(b).members.length]).toEqual([2, 2]));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('comes back from the owning node revived, as a local run returns it', async () => {
    let id = '';
    for (let i = 0; !id && i < 1000; i++) if (nodeOf(a).ownerOf(`vault-v${i}`) === 'b') id = `v${i}`;
    const gateway = a.get(CommandGateway);
    await gateway.dispatch(new OpenVault(id, '2030-01-02T03:04:05.678Z'));
    await gateway.dispatch(new StockVault(id, 'apple', 200));
    const remote = await gateway.dispatch<Vault>(new PeekVault(id), { returning: 'aggregateState' });
    const local = await b.get(CommandGateway).dispatch<Vault>(new PeekVault(id), { returning: 'aggregateState' });
    expect(remote).toStrictEqual(local);
    expect(remote.openedAt).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(remote.items.get('apple'))).toBe(Money.prototype);
  });
});
