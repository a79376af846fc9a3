import { jest } from '@jest/globals';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';
import { expectStrongReads } from './strong-reads.js';

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
    expect(await expectStrongReads(cluster, 'strong-1')).toMatchObject({ transport: 'global', connected: true });
  });
});
