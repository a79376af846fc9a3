import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';

jest.setTimeout(180_000);

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(3);
});
afterAll(() => nodes?.close());

describe('cluster: strong consistency over the global pubsub', () => {
  it('returns a strong dispatch only after the projector on another node applied it', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const [projector] = await eventually(async () => {
      const running = await nodesRunning(cluster, 'account-balances');
      expect(running).toHaveLength(1);
      return running;
    });
    const [writer, reader] = cluster.nodes.filter((node) => node !== projector);
    expect((await bank.health(writer)).pubsub).toMatchObject({ transport: 'global', connected: true });
    expect((await bank.openAccount(writer, 'strong-1', 0, true)).status).toBe(201);
    for (let i = 1; i <= 20; i++) {
      expect((await bank.deposit(writer, 'strong-1', 10, true)).status).toBe(200);
      // Read at once through the third node: the projection must already hold the deposit.
      expect((await bank.account(reader, 'strong-1')).body).toEqual({ accountId: 'strong-1', balance: 10 * i, version: i + 1 });
    }
  });
});
