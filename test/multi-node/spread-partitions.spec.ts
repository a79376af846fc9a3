import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { killAllChildren } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, testSchema, type TestSchema } from '../harness/postgres-schema.js';
import { startRedisServer, type RedisServerHandle } from '../harness/redis-server.js';
import { createCluster, type SampleCluster } from '../harness/sample-cluster.js';
import type { SampleNode } from '../harness/sample-node.js';
import { checkLedger, depositUntil, settledOn } from '../harness/spread-ledger.js';

jest.setTimeout(300_000);

const PARTITIONS = 8;
const ACCOUNTS = Array.from({ length: 30 }, (_, i) => `spread-${i}`);

/** Independent nodes share the store and Redis; cluster members share the cluster's membership. */
const MODES: Array<[string, Record<string, string>]> = [
  ['independent nodes', { REGISTRY: 'local', PUBSUB: 'redis' }],
  ['cluster', { REGISTRY: 'global', PUBSUB: 'global' }],
];

let schema: TestSchema;
let redis: RedisServerHandle | undefined;
let cluster: SampleCluster;

/** Four processes-to-be in `mode`: three start now, the fourth joins later. */
async function startNodes(mode: Record<string, string>): Promise<void> {
  schema = await testSchema();
  redis = mode.PUBSUB === 'redis' ? await startRedisServer() : undefined;
  cluster = await createCluster({
    nodes: 4,
    env: {
      ...mode,
      EVENT_STORE: 'postgres',
      DATABASE_URL: TEST_DATABASE_URL,
      EVENT_STORE_SCHEMA: schema.name,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      LEDGER_PARTITIONS: String(PARTITIONS),
    },
  });
  await Promise.all(cluster.nodes.slice(0, 3).map((node) => node.start()));
}

async function stopNodes(): Promise<void> {
  await cluster?.stop().catch(() => undefined);
  await killAllChildren();
  await redis?.kill();
  await schema?.drop();
}

const settled = (nodes: SampleNode[]) => settledOn(nodes, PARTITIONS, 90_000);

/** Deposits through `nodes()` while `during` runs and 20 more after it, then waits until the ledger has every account event. */
async function depositsAround(nodes: () => SampleNode[], during: () => Promise<unknown>): Promise<void> {
  const answered = { count: 0 };
  let stop = false;
  const deposits = depositUntil(nodes, ACCOUNTS, () => stop, answered);
  await during();
  const after = answered.count;
  await eventually(() => expect(answered.count).toBeGreaterThanOrEqual(after + 20));
  stop = true;
  await deposits;
  await eventually(async () => expect((await checkLedger(schema.name)).missing).toEqual([]), { timeout: 90_000, interval: 200 });
}

describe.each(MODES)('%s: a subscription spread over 8 partitions', (_mode, env) => {
  beforeAll(() => startNodes(env));
  afterAll(stopNodes);

  it('shares the partitions and handles every event exactly once across a join and a graceful leave', async () => {
    const [first, second, third, joiner] = cluster.nodes;
    for (const account of ACCOUNTS) expect((await bank.openAccount(first, account, 0)).status).toBe(201);

    const three = await settled([first, second, third]);
    await depositsAround(
      () => [first, second, third],
      async () => undefined,
    );

    await depositsAround(
      () => [first, second, third],
      () => joiner.start(),
    );
    const four = await settled([first, second, third, joiner]);
    expect(four.filter((name) => name === joiner.name).length).toBe(PARTITIONS / 4);

    await depositsAround(
      () => [second, third, joiner],
      () => first.stop(),
    );
    const after = await settled([second, third, joiner]);
    const ledger = await checkLedger(schema.name);
    console.log(
      `[spread] ${ledger.events} account events; holders with 3 nodes ${three.join(',')}, after the join ${four.join(',')}, after the leave ${after.join(',')}; lines by node ${JSON.stringify(ledger.byNode)}`,
    );
    expect(ledger.missing).toEqual([]);
    expect(ledger.repeated).toEqual([]);
    expect(Object.keys(ledger.byNode).sort()).toEqual([first, second, third, joiner].map((node) => node.name).sort());
  });
});
