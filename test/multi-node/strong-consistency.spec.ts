import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { SampleNode } from '../harness/sample-node.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';

jest.setTimeout(180_000);

const PROJECTOR = 'account-balances';

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

/** The node running the projector, and the others. */
async function split(): Promise<{ projector: SampleNode; others: SampleNode[] }> {
  const [projector] = await eventually(async () => {
    const running = await nodesRunning(nodes.cluster, PROJECTOR);
    expect(running).toHaveLength(1);
    return running;
  });
  return { projector, others: nodes.cluster.running().filter((node) => node !== projector) };
}

describe('independent nodes: strong consistency', () => {
  it('returns a strong dispatch only after the projector on another node applied it', async () => {
    const { others } = await split();
    const [writer, reader] = others;
    expect((await bank.openAccount(writer, 'strong-1', 0, true)).status).toBe(201);
    for (let i = 1; i <= 20; i++) {
      const response = await bank.deposit(writer, 'strong-1', 10, true);
      expect(response.status).toBe(200);
      // Read at once, through a third node: the projection must already hold the deposit.
      expect((await bank.account(reader, 'strong-1')).body).toEqual({ accountId: 'strong-1', balance: 10 * i, version: i + 1 });
    }
  });

  it('fails a strong dispatch with its typed timeout while the projector node is frozen', async () => {
    const { projector, others } = await split();
    const [writer] = others;
    expect((await bank.openAccount(writer, 'strong-2', 0, true)).status).toBe(201);

    projector.pause();
    try {
      // The dispatch's own deadline ends the wait (the client only gives up on a request hung for a minute).
      const response = await bank.deposit(writer, 'strong-2', 5, true);
      expect(response.status).toBe(504);
      expect(response.body).toMatchObject({ code: 'CONSISTENCY_TIMEOUT' });
    } finally {
      projector.resume();
    }
    // The deposit itself was committed; the projection catches up once the projector runs again.
    await eventually(async () => expect((await bank.account(writer, 'strong-2')).body).toMatchObject({ balance: 5, version: 2 }), {
      timeout: 60_000,
    });
  });
});
