import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { startRedisServer, type RedisServerHandle } from '../harness/redis-server.js';
import { expectLedger, expectSucceededOrTimedOut, type DepositOutcome } from '../multi-node/ledger.js';
import { awaitMembers, type ClusterNodes, conflicts, startClusterNodes } from './cluster-nodes.js';
import { expectRunsOnOwners } from './runs-on-owners.js';
import { expectStrongReads } from './strong-reads.js';

jest.setTimeout(180_000);

let redis: RedisServerHandle;
let nodes: ClusterNodes;
beforeAll(async () => {
  redis = await startRedisServer();
  nodes = await startClusterNodes(3, { env: { PUBSUB: 'redis', REDIS_URL: redis.url } });
});
afterAll(async () => {
  await nodes?.close();
  await redis?.stop();
});

describe('cluster: the global registry with Redis pubsub', () => {
  it('forwards each command to its owner and keeps balances exact under concurrent writers on every node', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    for (const node of cluster.nodes) expect((await bank.health(node)).pubsub).toMatchObject({ transport: 'redis', connected: true });
    const accounts = Array.from({ length: 6 }, (_, i) => `redis-${i}`);
    for (const [a, id] of accounts.entries()) expect((await bank.openAccount(cluster.node(a % 3), id, 1000)).status).toBe(201);
    const before = await conflicts(cluster.nodes);

    const { owned, deposits: probes } = await expectRunsOnOwners(cluster.nodes, accounts, 1);
    // Then 30 deposits per account through all nodes at once.
    const outcomes: DepositOutcome[] = await Promise.all(
      accounts.flatMap((accountId, a) =>
        Array.from({ length: 30 }, async (_, i) => {
          const amount = 10 + i;
          return { accountId, amount, response: await bank.deposit(cluster.node((i + a) % 3), accountId, amount) };
        }),
      ),
    );
    expectSucceededOrTimedOut(outcomes);
    for (const id of accounts) await expectLedger(nodes, id, 1000, [...probes, ...outcomes]);
    const steady = (await conflicts(cluster.nodes)) - before;
    console.log(
      `registry global + Redis pubsub: owners ${owned.join('/')} of 6 accounts; ${outcomes.length + probes.length} deposits, ${steady} version conflicts`,
    );
    expect(steady).toBe(0);
  });

  it('returns a strong dispatch only after the projector on another node applied it, acknowledged through Redis', async () => {
    expect(await expectStrongReads(nodes.cluster, 'redis-strong')).toMatchObject({ transport: 'redis', connected: true });
  });
});
