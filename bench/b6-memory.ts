import { InMemoryEventStore, NO_STREAM } from '../lib/index.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { scaled } from './bench-config.js';
import { creditEvent, LookAtWallet, WALLET_PREFIX } from './bench-domain.js';
import { compare, type Figures, pick, type Trial } from './bench-measure.js';
import { formatNumber } from './bench-progress.js';
import { benchRow, type Target } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { SeededRandom } from './seeded-random.js';
import { liveHeapBytes } from './heap-usage.js';

const AGGREGATES = 100_000;
const MAX_INSTANCES = 10_000;
const IDLE_TIMEOUT_MS = 1_000;
/** Longer than the idle timeout plus a sweep (every idleTimeout / 2). */
const IDLE_WAIT_MS = 2_500;
const MB = 2 ** 20;
/** Heap a live aggregate of this small state may cost, in bytes; the bounded case may use 1.25× that per live instance. */
const PER_AGGREGATE_BUDGET = 350;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes every wallet live (a command that loads it and writes nothing); returns heap growth and live count. */
async function touchAll(app: BenchApp, wallets: number): Promise<{ bytes: number; live: number }> {
  const before = liveHeapBytes();
  for (let i = 0; i < wallets; i++) await app.gateway.dispatch(new LookAtWallet(`w${i}`));
  return { bytes: liveHeapBytes() - before, live: app.aggregates.size };
}

/** B6: heap held by live aggregates, unbounded and under the lifespan limits. */
export const b6Memory: Scenario = {
  id: 'B6',
  title: 'memory of live aggregates, with and without lifespan limits',
  async run({ config, progress }) {
    const wallets = scaled(config, AGGREGATES, 1_000);
    const maxInstances = Math.min(MAX_INSTANCES, Math.floor(wallets / 10));
    // The events live in a store made beforehand, so the heap growth measured is the aggregates' alone.
    const store = new InMemoryEventStore();
    const random = new SeededRandom(config.seed);
    for (let i = 0; i < wallets; i++) await store.appendToStream(`${WALLET_PREFIX}w${i}`, NO_STREAM, [creditEvent(random, `w${i}`)]);
    progress.line(`seeded ${formatNumber(wallets)} wallets with one event each in a memory store`);
    const withApp = async <T>(aggregates: { maxInstances: number; idleTimeout: number }, work: (app: BenchApp) => Promise<T>) => {
      const app = await startBenchApp({ eventStore: store, aggregates });
      try {
        return await work(app);
      } finally {
        await app.close();
      }
    };
    const unlimited = { maxInstances: wallets * 2, idleTimeout: 3_600_000 };
    const rounds = { warmups: 0, repeats: Math.min(config.repeats, 3) };
    const handMade =
      (entries: number): Trial =>
      async () => {
        const before = liveHeapBytes();
        const live = new Map<string, { balance: number; credits: number; version: number }>();
        for (let i = 0; i < entries; i++) live.set(`${WALLET_PREFIX}w${i}`, { balance: i, credits: 1, version: 1 });
        const bytes = liveHeapBytes() - before;
        // Dividing by live.size keeps the map reachable until it has been measured.
        return { perAggregate: bytes / live.size, totalMB: bytes / MB };
      };
    const perAggregate = await compare(
      rounds,
      progress,
      {
        ours: () =>
          withApp(unlimited, async (app) => {
            const { bytes, live } = await touchAll(app, wallets);
            if (live !== wallets) throw new Error(`${live} live aggregates, expected ${wallets}`);
            return { perAggregate: bytes / live, totalMB: bytes / MB };
          }),
        baseline: handMade(wallets),
      },
      (f: Figures) => `${formatNumber(f.perAggregate)} bytes per aggregate, ${f.totalMB.toFixed(1)} MB`,
    );
    const lives: number[] = [];
    const bounded = await compare(
      rounds,
      progress,
      {
        ours: () =>
          withApp({ maxInstances, idleTimeout: 3_600_000 }, async (app) => {
            const { bytes, live } = await touchAll(app, wallets);
            lives.push(live);
            return { totalMB: bytes / MB, live };
          }),
        baseline: async () => ({ totalMB: (await handMade(maxInstances)(0)).totalMB, live: maxInstances }),
      },
      (f: Figures) => `${f.totalMB.toFixed(1)} MB, ${formatNumber(f.live)} live`,
    );
    const idle = await withApp({ maxInstances: wallets * 2, idleTimeout: IDLE_TIMEOUT_MS }, async (app) => {
      const touched = await touchAll(app, wallets);
      const before = liveHeapBytes() - touched.bytes;
      await sleep(IDLE_WAIT_MS);
      return { liveBefore: touched.live, liveAfter: app.aggregates.size, heldMB: (liveHeapBytes() - before) / MB };
    });
    progress.line(`idle timeout ${IDLE_TIMEOUT_MS} ms: ${idle.liveBefore} live after the commands, ${idle.liveAfter} live ${IDLE_WAIT_MS} ms later`);
    const boundMB = (1.25 * maxInstances * PER_AGGREGATE_BUDGET) / MB;
    const boundedTarget: Target = {
      text: `live ≤ ${formatNumber(maxInstances)}, ≤ ${boundMB.toFixed(1)} MB, 0 live after idle`,
      met: (ours) => Math.max(...lives) <= maxInstances && ours <= boundMB && idle.liveAfter === 0,
    };
    const work = `${formatNumber(wallets)} wallets (balance, credits) made live by one \`LookAtWallet\` dispatch each (loads 1 event, writes nothing) on a memory store seeded beforehand; live JS heap after full GC, before and after`;
    return [
      benchRow({
        scenario: 'B6',
        case: `heap per live aggregate, ${formatNumber(wallets)} live, no limits`,
        metric: 'bytes/aggregate',
        better: 'lower',
        ours: pick(perAggregate.ours, 'perAggregate'),
        baseline: pick(perAggregate.baseline, 'perAggregate'),
        target: { text: `≤ ${PER_AGGREGATE_BUDGET} B`, met: (ours) => ours <= PER_AGGREGATE_BUDGET },
        oursWork: `${work}, maxInstances ${formatNumber(unlimited.maxInstances)}`,
        baselineWork: `a hand-written Map of ${formatNumber(wallets)} stream ids to { balance, credits, version }`,
      }),
      benchRow({
        scenario: 'B6',
        case: `heap after ${formatNumber(wallets)} aggregates with maxInstances ${formatNumber(maxInstances)}`,
        metric: 'MB',
        better: 'lower',
        ours: pick(bounded.ours, 'totalMB'),
        baseline: pick(bounded.baseline, 'totalMB'),
        target: boundedTarget,
        oursWork: `${work}, maxInstances ${formatNumber(maxInstances)}`,
        baselineWork: `a hand-written Map of ${formatNumber(maxInstances)} stream ids to { balance, credits, version }`,
        notes: [
          `Live instances at the end: ${lives.join(', ')}.`,
          `With idleTimeout ${IDLE_TIMEOUT_MS} ms (no instance cap): ${formatNumber(idle.liveBefore)} live after the commands, ${idle.liveAfter} live ${IDLE_WAIT_MS} ms later, ${idle.heldMB.toFixed(1)} MB still held.`,
        ],
      }),
    ];
  },
};

runIfMain(import.meta.url, b6Memory);
