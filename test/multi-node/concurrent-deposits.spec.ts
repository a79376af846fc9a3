import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';

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
    const amount = (i: number) => 1 + (i % 7);
    const responses = await Promise.all(
      accounts.flatMap((id, a) =>
        Array.from({ length: perAccount }, (_, i) => bank.deposit(cluster.node((i + a) % 3), id, amount(i)).then((r) => ({ id, r }))),
      ),
    );

    const failed = responses.filter(({ r }) => r.status !== 200);
    expect(failed.map(({ r }) => r.body)).toEqual([]);
    const expected = 1000 + Array.from({ length: perAccount }, (_, i) => amount(i)).reduce((sum, x) => sum + x, 0);
    for (const id of accounts) {
      // Each deposit reported its own new version: no two writers got the same one.
      const versions = responses.filter((x) => x.id === id).map(({ r }) => r.body.version);
      expect(new Set(versions).size).toBe(perAccount);
      expect(Math.min(...versions)).toBe(2);
      expect(Math.max(...versions)).toBe(perAccount + 1);

      const events = await nodes.accountEvents(id);
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: perAccount + 1 }, (_, i) => i + 1));
      expect(events.filter((e) => e.eventType === 'MoneyDeposited')).toHaveLength(perAccount);

      for (const node of cluster.nodes) {
        await eventually(async () =>
          expect((await bank.account(node, id)).body).toEqual({ accountId: id, balance: expected, version: perAccount + 1 }),
        );
      }
    }
  });
});
