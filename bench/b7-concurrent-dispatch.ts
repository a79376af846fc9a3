import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { scaled } from './bench-config.js';
import { CreditWallet, WALLET_CREDITED, WALLET_PREFIX } from './bench-domain.js';
import { compare, concurrently, type Figures, pick } from './bench-measure.js';
import { appendFunctionCall, BENCH_POOL_SIZE, withDatabase } from './bench-postgres.js';
import { formatNumber } from './bench-progress.js';
import { atLeastTimes, benchRow, type BenchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { percentile } from './bench-stats.js';
import { SeededRandom } from './seeded-random.js';

const AGGREGATES = 1_000;
/** Dispatchers at once, also in B11's PostgreSQL rows. */
export const DISPATCHERS = 32;
const COMMANDS = 10_000;

/**
 * Per dispatcher, the wallets (indexes) it credits in one round. Each dispatcher owns the wallets
 * `i ≡ d (mod 32)`, so neither side meets a version conflict and both do the same work.
 */
export function roundWork(seed: number, round: number, perDispatcher: number): number[][] {
  const random = new SeededRandom(seed * 1000 + round);
  const ownedBy = (d: number) => Math.floor((AGGREGATES - 1 - d) / DISPATCHERS) + 1;
  return Array.from({ length: DISPATCHERS }, (_, d) => Array.from({ length: perDispatcher }, () => d + DISPATCHERS * random.int(ownedBy(d))));
}

/** Commands/s and latency percentiles of `work` run by every dispatcher at once, `operation` timed per command. */
async function measure(work: number[][], operation: (wallet: number) => Promise<unknown>): Promise<Figures> {
  const samples: number[] = [];
  const started = performance.now();
  await concurrently(DISPATCHERS, async (d) => {
    for (const wallet of work[d]) {
      const begun = performance.now();
      await operation(wallet);
      samples.push(performance.now() - begun);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { rate: samples.length / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** The raw side's append: the store's own `append_events`, expected version tracked by hand, no command recorded. */
function rawAppender(pool: pg.Pool, schema: string) {
  const versions = new Array<number>(AGGREGATES).fill(0);
  const balances = new Array<number>(AGGREGATES).fill(0);
  return async (wallet: number, amount: number) => {
    const walletId = `w${wallet}`;
    const commandId = randomUUID();
    const balance = balances[wallet] + amount;
    const events = [
      {
        eventId: randomUUID(),
        eventType: WALLET_CREDITED,
        data: { walletId, amount, balance },
        metadata: { commandId, schemaVersion: 1 },
        causationId: commandId,
        correlationId: commandId,
      },
    ];
    await pool.query(appendFunctionCall(schema, `${WALLET_PREFIX}${walletId}`, versions[wallet], events));
    versions[wallet]++;
    balances[wallet] = balance;
  };
}

/**
 * B7: commands/s and latency of 32 concurrent dispatchers over 1,000 live aggregates on
 * PostgreSQL, against raw `pg` calls of the same append function at the same concurrency.
 */
export const b7ConcurrentDispatch: Scenario = {
  id: 'B7',
  title: `${DISPATCHERS} concurrent dispatchers over ${AGGREGATES} aggregates, PostgreSQL`,
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const perDispatcher = Math.max(1, Math.round(scaled(config, COMMANDS, DISPATCHERS) / DISPATCHERS));
      const commands = perDispatcher * DISPATCHERS;
      const rawSchema = await db.migratedSchema('b7_raw');
      const pool = db.pool(BENCH_POOL_SIZE);
      const raw = rawAppender(pool, rawSchema);
      let app: BenchApp | undefined;
      try {
        const schema = db.schema('b7_ours');
        app = await startBenchApp({ eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema, poolSize: BENCH_POOL_SIZE } });
        const gateway = app.gateway;
        // Loaded beforehand on our side and written once on the raw side: both measure live aggregates.
        await concurrently(DISPATCHERS, async (d) => {
          for (let wallet = d; wallet < AGGREGATES; wallet += DISPATCHERS) {
            await gateway.dispatch(new CreditWallet(`w${wallet}`, 1));
            await raw(wallet, 1);
          }
        });
        const amountOf = (wallet: number) => 1 + (wallet % 100);
        const result = await compare(
          config,
          progress,
          {
            ours: (round) =>
              measure(roundWork(config.seed, round, perDispatcher), (wallet) => gateway.dispatch(new CreditWallet(`w${wallet}`, amountOf(wallet)))),
            baseline: (round) => measure(roundWork(config.seed, round, perDispatcher), (wallet) => raw(wallet, amountOf(wallet))),
          },
          (f) => `${formatNumber(f.rate)} commands/s, p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`,
        );
        const oursWork = `${formatNumber(commands)} \`dispatch(CreditWallet)\` per repeat from ${DISPATCHERS} concurrent dispatchers over ${formatNumber(AGGREGATES)} wallets loaded beforehand (dispatcher d credits the wallets ≡ d mod ${DISPATCHERS}, seeded), eventual consistency, postgres adapter with a pool of ${BENCH_POOL_SIZE}: route, execute, serialize, append (concurrent appends committed together, one \`append_event_groups\` call per group), apply, publish`;
        const baselineWork = `the same credits as raw \`pg\` calls of the store's single-append \`append_events\` function (no command recorded) with the expected version and balance tracked in arrays, JSON built by hand, pool of ${BENCH_POOL_SIZE}, ${DISPATCHERS} concurrent loops`;
        const row = (metric: string, key: string, better: 'higher' | 'lower', target?: ReturnType<typeof atLeastTimes>): BenchRow =>
          benchRow({
            scenario: 'B7',
            case: `${DISPATCHERS} concurrent dispatchers over ${formatNumber(AGGREGATES)} aggregates, PostgreSQL`,
            metric,
            better,
            ours: pick(result.ours, key),
            baseline: pick(result.baseline, key),
            target,
            oursWork,
            baselineWork,
          });
        return [row('commands/s', 'rate', 'higher', atLeastTimes(1.5)), row('p50 ms', 'p50', 'lower'), row('p99 ms', 'p99', 'lower')];
      } finally {
        await app?.close();
      }
    }),
};

runIfMain(import.meta.url, b7ConcurrentDispatch);
