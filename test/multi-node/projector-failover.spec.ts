import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';

jest.setTimeout(180_000);

const PROJECTOR = 'account-balances';

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

describe('independent nodes: projector failover', () => {
  it('hands the projector to another node after a kill -9, and it resumes where it stopped', async () => {
    const { cluster } = nodes;
    const [runner] = await eventually(async () => {
      const running = await nodesRunning(cluster, PROJECTOR);
      expect(running).toHaveLength(1);
      return running;
    });
    const writer = cluster.nodes.find((node) => node !== runner)!;
    expect((await bank.openAccount(writer, 'failover-1', 0, true)).status).toBe(201);
    for (let i = 0; i < 10; i++) expect((await bank.deposit(writer, 'failover-1', 10, true)).status).toBe(200);

    await runner.kill();
    const killedAt = Date.now();
    const [successor] = await eventually(
      async () => {
        const running = await nodesRunning(cluster, PROJECTOR);
        expect(running).toHaveLength(1);
        return running;
      },
      // Only stops a hung case: how fast depends on the machine's load (bench/ measures failover).
      { timeout: 60_000, interval: 100 },
    );
    const takeover = Date.now() - killedAt;
    expect(successor).not.toBe(runner);
    console.log(`Projector taken over by ${successor.name} ${takeover} ms after kill -9 of ${runner.name}`);

    // The successor carries on from the checkpoint: every later deposit lands exactly once.
    for (let i = 0; i < 10; i++) expect((await bank.deposit(writer, 'failover-1', 10, true)).status).toBe(200);
    expect((await bank.account(writer, 'failover-1')).body).toEqual({ accountId: 'failover-1', balance: 200, version: 21 });
  });
});
