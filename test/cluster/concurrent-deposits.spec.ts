import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { expectLedger, expectSucceededOrTimedOut, type DepositOutcome } from '../multi-node/ledger.js';
import { awaitMembers, type ClusterNodes, conflicts, startClusterNodes } from './cluster-nodes.js';

jest.setTimeout(180_000);

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(3);
});
afterAll(() => nodes?.close());

describe('cluster: concurrent deposits', () => {
  it('gives exact balances, contiguous versions and no version conflict when every node writes the same accounts', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const before = await conflicts(cluster.nodes);
    const accounts = Array.from({ length: 6 }, (_, i) => `shared-${i}`);
    const perAccount = 40;
    for (const [a, id] of accounts.entries()) expect((await bank.openAccount(cluster.node(a % 3), id, 1000)).status).toBe(201);

    // Deposit i of account a goes through node (i + a) % 3, all in flight at once.
    const outcomes: DepositOutcome[] = await Promise.all(
      accounts.flatMap((accountId, a) =>
        Array.from({ length: perAccount }, async (_, i) => {
          const amount = i + 1;
          return { accountId, amount, response: await bank.deposit(cluster.node((i + a) % 3), accountId, amount) };
        }),
      ),
    );

    // No conflict to refuse: every deposit succeeds, or times out on a busy machine and the ledger check settles it.
    expectSucceededOrTimedOut(outcomes);
    for (const id of accounts) await expectLedger(nodes, id, 1000, outcomes);
    const steady = (await conflicts(cluster.nodes)) - before;
    console.log(`${outcomes.length} deposits through 3 nodes to ${accounts.length} accounts: ${steady} version conflicts`);
    expect(steady).toBe(0);
  });
});
