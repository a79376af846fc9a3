import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { SampleNode } from '../harness/sample-node.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';
import { accepted, expectLedger, type DepositOutcome } from './ledger.js';

jest.setTimeout(180_000);

const DISPATCH_TIMEOUT_MS = 5000;
const OPENING = 100;
const SHARED = 'outage-shared';
const ownAccount = (node: SampleNode) => `outage-${node.name}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

/**
 * Keeps depositing, one request at a time per (node, account), until stopped: each node into its
 * own account (no other writer, so every deposit must succeed) and all nodes into a shared one.
 */
function depositLoad(cluster: IndependentNodes['cluster']) {
  const outcomes: DepositOutcome[] = [];
  let running = true;
  const workers = cluster.nodes.flatMap((node, n) =>
    [ownAccount(node), SHARED].map(async (accountId) => {
      for (let i = 0; running; i++) {
        const amount = 1 + ((i + n) % 5);
        outcomes.push({ accountId, amount, response: await bank.deposit(node, accountId, amount) });
      }
    }),
  );
  return {
    outcomes,
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
    const accounts = [SHARED, ...cluster.nodes.map(ownAccount)];
    for (const id of accounts) expect((await bank.openAccount(cluster.node(0), id, OPENING)).status).toBe(201);
    const pids = cluster.nodes.map((node) => node.pid);

    const load = depositLoad(cluster);
    await sleep(1000);
    await redis.kill();
    await eventually(async () => expect(await pubsubStates()).toEqual([false, false, false]));
    const atOutage = load.outcomes.length;

    // A strong dispatch still either sees its projection or fails typed, within its timeout.
    const [projector] = await nodesRunning(cluster, 'account-balances');
    const writer = cluster.nodes.find((node) => node !== projector)!;
    const started = Date.now();
    const strong = await bank.deposit(writer, ownAccount(writer), 1000, true);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(DISPATCH_TIMEOUT_MS + 2000);
    if (strong.status === 200) {
      expect((await bank.account(writer, ownAccount(writer))).body.version).toBeGreaterThanOrEqual(strong.body.version);
    } else {
      expect([strong.status, strong.body]).toEqual([504, expect.objectContaining({ code: 'CONSISTENCY_TIMEOUT' })]);
    }

    await sleep(1500);
    const beforeRestart = load.outcomes.length;
    await redis.restart();
    await eventually(async () => expect(await pubsubStates()).toEqual([true, true, true]));
    await sleep(1000);
    await load.stop();
    console.log(
      `Strong dispatch with Redis down: HTTP ${strong.status} after ${elapsed} ms. ` +
        `Deposits: ${load.outcomes.length} in all, ${beforeRestart - atOutage} while Redis was down`,
    );

    // Commands kept being accepted while Redis was down, by the same processes throughout.
    expect(beforeRestart).toBeGreaterThan(atOutage);
    expect(cluster.nodes.map((node) => node.pid)).toEqual(pids);
    const own = load.outcomes.filter((o) => o.accountId !== SHARED);
    expect(own.filter((o) => o.response.status !== 200).map((o) => o.response.body)).toEqual([]);

    const deposits = accepted(load.outcomes);
    // Committed either way: a consistency timeout reports a late projection, not a failed write.
    deposits.push({ accountId: ownAccount(writer), amount: 1000, response: strong });
    for (const id of accounts) await expectLedger(nodes, id, OPENING, deposits);
  });
});
