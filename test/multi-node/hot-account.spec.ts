import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';
import { accepted, expectLedger, type DepositOutcome } from './ledger.js';

jest.setTimeout(300_000);

const PER_NODE = 100;

/**
 * `concurrent`: every node deposits at once, one request at a time each (writers race in flight).
 * `round-robin`: one deposit at a time overall, through node 0, 1, 2, 0, ... (each node's cached
 * instance is stale when its turn comes, which is what invalidation is for).
 */
type Traffic = 'concurrent' | 'round-robin';

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(3);
});
afterAll(() => nodes?.close());

async function send(accountId: string, traffic: Traffic): Promise<DepositOutcome[]> {
  const outcomes: DepositOutcome[] = [];
  let sent = 0;
  // Each deposit a different amount, so the store shows which ran.
  const deposit = async (n: number) => {
    const amount = ++sent;
    outcomes.push({ accountId, amount, response: await bank.deposit(nodes.cluster.node(n), accountId, amount) });
  };
  if (traffic === 'round-robin') {
    for (let i = 0; i < 3 * PER_NODE; i++) await deposit(i % 3);
  } else {
    await Promise.all(
      [0, 1, 2].map(async (n) => {
        for (let i = 0; i < PER_NODE; i++) await deposit(n);
      }),
    );
  }
  return outcomes;
}

/** Conflicting appends on every node since the last call, from each node's `/status`. */
async function conflictsOnAllNodes(): Promise<number> {
  const healths = await Promise.all(nodes.cluster.nodes.map((node) => bank.health(node)));
  return healths.reduce((sum, health) => sum + health.aggregates.conflicts, 0);
}

/** Runs the traffic on a fresh account, checks the ledger, and counts the conflicting appends. */
async function measure(accountId: string, traffic: Traffic) {
  expect((await bank.openAccount(nodes.cluster.node(0), accountId, 0)).status).toBe(201);
  const conflictsBefore = await conflictsOnAllNodes();
  const outcomes = await send(accountId, traffic);
  const deposits = accepted(outcomes);
  await expectLedger(nodes, accountId, 0, outcomes);
  expect(outcomes).toHaveLength(3 * PER_NODE);
  return {
    traffic,
    commands: outcomes.length,
    refused: outcomes.length - deposits.length,
    conflicts: (await conflictsOnAllNodes()) - conflictsBefore,
  };
}

type Figures = Awaited<ReturnType<typeof measure>>;
const describeRun = (label: string, r: Figures) =>
  `${label}, ${r.traffic}: ${r.conflicts} conflicting appends for ${r.commands} commands ` +
  `(${(r.conflicts / r.commands).toFixed(2)} per command), ${r.refused} refused after 10 attempts`;

const pubsubConnected = (connected: boolean) =>
  eventually(async () => {
    for (const node of nodes.cluster.nodes) expect((await bank.health(node)).pubsub.connected).toBe(connected);
  });

describe('independent nodes: a hot account written through 3 nodes', () => {
  it('measures conflict retries with and without aggregate invalidation, losing nothing either way', async () => {
    const run = async (label: string) => ({
      label,
      roundRobin: await measure(`hot-rr-${label.replace(/\W+/g, '-')}`, 'round-robin'),
      concurrent: await measure(`hot-cc-${label.replace(/\W+/g, '-')}`, 'concurrent'),
    });
    const before = await run('with invalidation');
    // Without Redis no invalidation reaches any node: each learns of others' writes by conflicting.
    await nodes.redis.kill();
    await pubsubConnected(false);
    const without = await run('without invalidation');
    await nodes.redis.restart();
    await pubsubConnected(true);
    const after = await run('with invalidation again');
    console.log([before, without, after].flatMap((r) => [describeRun(r.label, r.roundRobin), describeRun(r.label, r.concurrent)]).join('\n'));

    // Taking turns is what invalidation is for: a stale node refreshes instead of conflicting.
    expect(without.roundRobin.conflicts).toBeGreaterThan(PER_NODE);
    for (const r of [before, after]) expect(r.roundRobin.conflicts).toBeLessThan(without.roundRobin.conflicts / 2);
  });
});
