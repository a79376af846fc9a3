import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { HttpResponse } from '../harness/http-client.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';

jest.setTimeout(180_000);

const DISPATCH_TIMEOUT_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

interface Deposit {
  accountId: string;
  amount: number;
  response: HttpResponse<{ version: number }>;
}

/** Keeps depositing through every node, one request at a time per (node, account), until stopped. */
function depositLoad(accountIds: string[]) {
  const done: Deposit[] = [];
  let running = true;
  const workers = nodes.cluster.nodes.flatMap((node, n) =>
    accountIds.map(async (accountId) => {
      for (let i = 0; running; i++) {
        const amount = 1 + ((i + n) % 5);
        done.push({ accountId, amount, response: await bank.deposit(node, accountId, amount) });
      }
    }),
  );
  return {
    done,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

const pubsubStates = () => Promise.all(nodes.cluster.nodes.map(async (node) => (await bank.health(node)).pubsub.connected));

describe('independent nodes: Redis stopped and restarted mid-run', () => {
  it('loses no event, keeps accepting commands, and converges once Redis is back', async () => {
    const { cluster, redis } = nodes;
    const accounts = ['outage-1', 'outage-2'];
    for (const id of accounts) expect((await bank.openAccount(cluster.node(0), id, 100)).status).toBe(201);
    const pids = cluster.nodes.map((node) => node.pid);

    const load = depositLoad(accounts);
    await sleep(1000);
    await redis.kill();
    await eventually(async () => expect(await pubsubStates()).toEqual([false, false, false]));
    const duringOutage = load.done.length;

    // A strong dispatch still either sees its projection or fails typed, within its timeout.
    const [projector] = await nodesRunning(cluster, 'account-balances');
    const writer = cluster.nodes.find((node) => node !== projector)!;
    const started = Date.now();
    const strong = await bank.deposit(writer, accounts[0], 1000, true);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(DISPATCH_TIMEOUT_MS + 2000);
    if (strong.status === 200) {
      expect((await bank.account(writer, accounts[0])).body.version).toBeGreaterThanOrEqual(strong.body.version);
    } else {
      expect([strong.status, strong.body]).toEqual([504, expect.objectContaining({ code: 'CONSISTENCY_TIMEOUT' })]);
    }
    console.log(`Strong dispatch with Redis down: HTTP ${strong.status} after ${elapsed} ms`);

    await sleep(1500);
    const beforeRestart = load.done.length;
    await redis.restart();
    await eventually(async () => expect(await pubsubStates()).toEqual([true, true, true]));
    await sleep(1000);
    await load.stop();
    console.log(`Deposits: ${load.done.length} in all, ${beforeRestart - duringOutage} accepted while Redis was down`);

    // Commands kept succeeding while Redis was down, on the same processes throughout.
    expect(beforeRestart).toBeGreaterThan(duringOutage);
    expect(load.done.filter((d) => d.response.status !== 200).map((d) => d.response.body)).toEqual([]);
    expect(cluster.nodes.map((node) => node.pid)).toEqual(pids);

    for (const id of accounts) {
      const deposits = load.done.filter((d) => d.accountId === id);
      const extra = id === accounts[0] ? 1000 : 0;
      const events = await nodes.accountEvents(id);
      const version = 1 + deposits.length + (extra ? 1 : 0);
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      const balance = 100 + extra + deposits.reduce((sum, d) => sum + d.amount, 0);
      for (const node of cluster.nodes) {
        await eventually(async () => expect((await bank.account(node, id)).body).toEqual({ accountId: id, balance, version }));
      }
    }
  });
});
