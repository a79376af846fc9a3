import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { SampleNode } from '../harness/sample-node.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';
import { expectLedger, expectSucceededOrTimedOut, type DepositOutcome } from './ledger.js';

jest.setTimeout(300_000);

const OPENING = 100;
const SHARED = 'outage-shared';
/** Acknowledged deposits before Redis goes, while it is gone, and after it is back. */
const PER_PHASE = 30;
/** Apart from every deposit of the load (3i + n + 1), so the store tells the strong one apart. */
const STRONG_AMOUNT = 1_000_000;
const ownAccount = (node: SampleNode) => `outage-${node.name}`;

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

/**
 * Keeps depositing, one request at a time per (node, account), until stopped: each node into its
 * own account (no other writer, so every deposit must succeed) and all nodes into a shared one.
 * Deposit i of node n is 3i + n + 1, unique per account, so the store shows which ran.
 */
function depositLoad(cluster: IndependentNodes['cluster']) {
  const outcomes: DepositOutcome[] = [];
  let running = true;
  const workers = cluster.nodes.flatMap((node, n) =>
    [ownAccount(node), SHARED].map(async (accountId) => {
      for (let i = 0; running; i++) {
        const amount = 3 * i + n + 1;
        outcomes.push({ accountId, amount, response: await bank.deposit(node, accountId, amount) });
      }
    }),
  );
  const acknowledged = () => outcomes.filter((o) => o.response.status === 200).length;
  return {
    outcomes,
    acknowledged,
    /** Resolves once `count` more deposits than now have been acknowledged. */
    acknowledgedMore: (count: number) => {
      const target = acknowledged() + count;
      return eventually(() => expect(acknowledged()).toBeGreaterThanOrEqual(target), { timeout: 120_000, interval: 20 });
    },
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
    await load.acknowledgedMore(PER_PHASE);
    await redis.kill();
    await eventually(async () => expect(await pubsubStates()).toEqual([false, false, false]));
    const atOutage = load.acknowledged();

    // A strong dispatch still either sees its projection or fails typed, by its own timeout.
    const [projector] = await nodesRunning(cluster, 'account-balances');
    const writer = cluster.nodes.find((node) => node !== projector)!;
    const started = Date.now();
    const strong = await bank.deposit(writer, ownAccount(writer), STRONG_AMOUNT, true);
    const elapsed = Date.now() - started;
    if (strong.status === 200) {
      expect((await bank.account(writer, ownAccount(writer))).body.version).toBeGreaterThanOrEqual(strong.body.version);
    } else {
      expect([strong.status, strong.body]).toEqual([504, expect.objectContaining({ code: 'CONSISTENCY_TIMEOUT' })]);
    }

    await load.acknowledgedMore(PER_PHASE);
    const beforeRestart = load.acknowledged();
    await redis.restart();
    await eventually(async () => expect(await pubsubStates()).toEqual([true, true, true]));
    await load.acknowledgedMore(PER_PHASE);
    await load.stop();
    console.log(
      `Strong dispatch with Redis down: HTTP ${strong.status} after ${elapsed} ms. ` +
        `Deposits: ${load.outcomes.length} in all, ${beforeRestart - atOutage} acknowledged while Redis was down`,
    );

    // Commands kept being accepted while Redis was down, by the same processes throughout.
    expect(beforeRestart - atOutage).toBeGreaterThanOrEqual(PER_PHASE);
    expect(cluster.nodes.map((node) => node.pid)).toEqual(pids);
    // Nothing refused on the accounts each node writes alone; on a busy machine a command may time out.
    expectSucceededOrTimedOut(load.outcomes.filter((o) => o.accountId !== SHARED));
    expectSucceededOrTimedOut(load.outcomes, ['WRONG_EXPECTED_VERSION']);

    // Committed either way: a consistency timeout reports a late projection, not a failed write.
    const outcomes = [...load.outcomes, { accountId: ownAccount(writer), amount: STRONG_AMOUNT, response: strong }];
    for (const id of accounts) await expectLedger(nodes, id, OPENING, outcomes);
  });
});
