import { formatNumber } from './bench-progress.js';
import { compare, concurrently, timed } from './bench-measure.js';
import { withDatabase } from './bench-postgres.js';
import type { BenchRow } from './bench-result.js';
import { scaled } from './bench-config.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { CreditWallet } from './bench-domain.js';
import type { ScenarioContext } from './bench-scenario.js';
import { DISPATCHERS, roundWork } from './b7-concurrent-dispatch.js';
import type { BenchSdk } from './telemetry-sdk.js';
import { AGGREGATES, describe, telemetryRow, TRACED_WORK, workload } from './telemetry-rows.js';

const CONCURRENT_COMMANDS = 5_000;
const SEQUENTIAL_COMMANDS = 2_000;

const BASELINE_WORK = 'the same commands on another schema of the same server, with `telemetry: { enabled: false }` and no SDK context manager';

/**
 * Dispatch on PostgreSQL, where a production command goes: traced against telemetry off without
 * the SDK's context manager, each app on its own schema of the same server, every wallet loaded
 * beforehand on both. First 32 concurrent dispatchers (this process busy), then one sequential.
 */
export function postgresRows({ config, progress }: ScenarioContext, sdk: BenchSdk): Promise<BenchRow[]> {
  const perDispatcher = Math.max(1, Math.round(scaled(config, CONCURRENT_COMMANDS, DISPATCHERS) / DISPATCHERS));
  const concurrent = perDispatcher * DISPATCHERS;
  const sequential = scaled(config, SEQUENTIAL_COMMANDS, 100);
  return withDatabase(config.databaseUrl, async (db) => {
    const store = (label: string) => ({ adapter: 'postgres' as const, connectionString: config.databaseUrl, schema: db.schema(label) });
    let traced: BenchApp | undefined;
    let plain: BenchApp | undefined;
    try {
      const ours = (traced = await startBenchApp({ eventStore: store('b11_traced') }));
      const untraced = (plain = await startBenchApp({ eventStore: store('b11_plain'), telemetry: { enabled: false } }));
      const side = (app: BenchApp, on: boolean, commands: number, dispatch: (app: BenchApp, round: number) => Promise<unknown>) => (round: number) =>
        sdk.withContext(on, () => timed(commands, () => dispatch(app, round)));
      const credit = (app: BenchApp, wallet: number) => app.gateway.dispatch(new CreditWallet(`w${wallet}`, 1 + (wallet % 100)));
      const inParallel = (app: BenchApp, round: number) => {
        const work = roundWork(config.seed, round, perDispatcher);
        return concurrently(DISPATCHERS, async (d) => {
          for (const wallet of work[d]) await credit(app, wallet);
        });
      };
      const oneByOne = async (app: BenchApp, round: number) => {
        for (const [walletId, amount] of workload(config.seed, round, sequential)) await app.gateway.dispatch(new CreditWallet(walletId, amount));
      };
      for (const [app, on] of [
        [ours, true],
        [untraced, false],
      ] as const) {
        await sdk.withContext(on, () =>
          concurrently(DISPATCHERS, async (d) => {
            for (let wallet = d; wallet < AGGREGATES; wallet += DISPATCHERS) await credit(app, wallet);
          }),
        );
      }
      progress.line(`PostgreSQL, ${DISPATCHERS} concurrent dispatchers: SDK and instrumentation against no SDK at all`);
      const busy = await compare(
        config,
        progress,
        { ours: side(ours, true, concurrent, inParallel), baseline: side(untraced, false, concurrent, inParallel) },
        describe,
      );
      progress.line('PostgreSQL, one dispatcher: SDK and instrumentation against no SDK at all');
      const alone = await compare(
        config,
        progress,
        { ours: side(ours, true, sequential, oneByOne), baseline: side(untraced, false, sequential, oneByOne) },
        describe,
      );
      const busyCase = `${DISPATCHERS} concurrent dispatchers over ${formatNumber(AGGREGATES)} aggregates, PostgreSQL`;
      const busyWork = `${formatNumber(concurrent)} \`CommandGateway.dispatch(CreditWallet)\` per repeat from ${DISPATCHERS} concurrent dispatchers over ${formatNumber(AGGREGATES)} wallets loaded beforehand (dispatcher d credits the wallets ≡ d mod ${DISPATCHERS}, seeded), postgres adapter with its default pool, own schema, ${TRACED_WORK}`;
      const aloneWork = `${formatNumber(sequential)} sequential \`CommandGateway.dispatch(CreditWallet)\` per repeat over ${formatNumber(AGGREGATES)} wallets loaded beforehand (seeded), postgres adapter, own schema, ${TRACED_WORK}`;
      return [
        telemetryRow(busyCase, {
          what: 'OpenTelemetry SDK vs none',
          result: busy,
          metric: 'rate',
          oursWork: busyWork,
          baselineWork: BASELINE_WORK,
          notes: [
            `A production dispatch goes to PostgreSQL, and ${DISPATCHERS} concurrent dispatchers keep this process busy, so all the CPU telemetry adds per command (the SDK's and the library's) counts against throughput; the sequential row hides it behind round trips. The memory store's "added CPU" row carries B11's target: the library's share of that CPU.`,
          ],
        }),
        telemetryRow(busyCase, {
          what: 'OpenTelemetry SDK vs none, CPU',
          result: busy,
          metric: 'cpu',
          oursWork: busyWork,
          baselineWork: BASELINE_WORK,
          notes: ['CPU of this process only; PostgreSQL, on the same machine, is not in it.'],
        }),
        telemetryRow(`sequential dispatch over ${formatNumber(AGGREGATES)} aggregates, PostgreSQL`, {
          what: 'OpenTelemetry SDK vs none',
          result: alone,
          metric: 'rate',
          oursWork: aloneWork,
          baselineWork: BASELINE_WORK,
          notes: ["What one caller sees: each command mostly waits for its round trips, so telemetry's CPU is a small share of its time."],
        }),
      ];
    } finally {
      await traced?.close();
      await plain?.close();
    }
  });
}
