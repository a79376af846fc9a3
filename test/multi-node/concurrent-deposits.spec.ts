import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';
import { accepted, expectLedger, undecided, type DepositOutcome } from './ledger.js';

jest.setTimeout(180_000);

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

describe('independent nodes: concurrent deposits', () => {
  it('gives exact balances and contiguous versions when every node writes the same accounts', async () => {
    const accounts = ['hot-1', 'hot-2', 'hot-3'];
    const perAccount = 60;
    const { cluster } = nodes;
    for (const id of accounts) expect((await bank.openAccount(cluster.node(0), id, 1000)).status).toBe(201);

    // Deposit i of account a goes through node (i + a) % 3, all in flight at once.
    const outcomes: DepositOutcome[] = await Promise.all(
      accounts.flatMap((accountId, a) =>
        Array.from({ length: perAccount }, async (_, i) => {
          const amount = i + 1;
          return { accountId, amount, response: await bank.deposit(cluster.node((i + a) % 3), accountId, amount) };
        }),
      ),
    );

    const deposits = accepted(outcomes);
    const timeouts = outcomes.filter(undecided).length;
    console.log(
      `${outcomes.length - deposits.length - timeouts} of ${outcomes.length} deposits refused after exhausting their conflict retries, ${timeouts} left undecided (timed out)`,
    );
    for (const id of accounts) await expectLedger(nodes, id, 1000, outcomes);
  });
});
