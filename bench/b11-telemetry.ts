import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { formatNumber } from './bench-progress.js';
import { type Comparison, compare, type Figures, pick, ratePerSecond } from './bench-measure.js';
import { atLeastTimes, benchRow, type Target } from './bench-result.js';
import { scaled } from './bench-config.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { CreditWallet } from './bench-domain.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { SeededRandom } from './seeded-random.js';

const AGGREGATES = 1_000;
const COMMANDS = 20_000;
/** ExportResultCode.SUCCESS of @opentelemetry/core. */
const SUCCESS = 0;

/** Exporters that accept everything and send it nowhere: the SDK's own cost, without a network. */
const noSpans: SpanExporter = { export: (_spans, done) => done({ code: SUCCESS }), shutdown: async () => undefined };
const noMetrics: PushMetricExporter = {
  export: (_metrics, done) => done({ code: SUCCESS }),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

function workload(seed: number, round: number, count: number): Array<[string, number]> {
  const random = new SeededRandom(seed * 1000 + round);
  return Array.from({ length: count }, () => [`w${random.int(AGGREGATES)}`, 1 + random.int(1000)]);
}

/**
 * B11: dispatch with the OpenTelemetry SDK registered (batch span processor, periodic metric
 * reader, async-local-storage context, exporters that drop everything) against the same dispatch
 * with telemetry turned off: first against no SDK at all (the context manager's promise hooks, which
 * any traced application pays, count against us), then with the context manager on both sides, which
 * leaves the library's own instrumentation.
 */
export const b11Telemetry: Scenario = {
  id: 'B11',
  title: `in-memory dispatch with OpenTelemetry over ${AGGREGATES} aggregates`,
  async run({ config, progress }) {
    const commands = scaled(config, COMMANDS, 100);
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noSpans)] });
    const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: noMetrics, exportIntervalMillis: 10_000 })] });
    const contextManager = new AsyncLocalStorageContextManager();
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    let traced: BenchApp | undefined;
    let plain: BenchApp | undefined;
    try {
      traced = await startBenchApp({ eventStore: { adapter: 'memory' } });
      plain = await startBenchApp({ eventStore: { adapter: 'memory' }, telemetry: { enabled: false } });
      const run = async (app: BenchApp, round: number, withContext: boolean) => {
        const work = workload(config.seed, round, commands);
        if (withContext) context.setGlobalContextManager(contextManager.enable());
        try {
          const cpu = process.cpuUsage();
          const rate = await ratePerSecond(commands, async () => {
            for (const [walletId, amount] of work) await app.gateway.dispatch(new CreditWallet(walletId, amount));
          });
          const used = process.cpuUsage(cpu);
          return { rate, cpu: (used.user + used.system) / commands };
        } finally {
          if (withContext) context.disable();
        }
      };
      const describe = (figures: Figures) => `${formatNumber(figures.rate)} commands/s, ${figures.cpu.toFixed(1)} µs CPU/command`;
      progress.line('SDK and instrumentation against no SDK at all');
      const whole = await compare(config, progress, { ours: (r) => run(traced!, r, true), baseline: (r) => run(plain!, r, false) }, describe);
      progress.line('instrumentation alone: both sides with the SDK and its context manager');
      const alone = await compare(config, progress, { ours: (r) => run(traced!, r, true), baseline: (r) => run(plain!, r, true) }, describe);
      const oursWork = `${formatNumber(commands)} sequential \`CommandGateway.dispatch(CreditWallet)\` per repeat, telemetry on: 3 spans per command (dispatch, execute, append; load on first use) through a batch processor to an exporter that drops them, 2 counters and 2 histograms recorded, trace context written into each event's metadata`;
      const row = (result: Comparison, target: Target | undefined, what: string, baselineWork: string, cpu = false) =>
        benchRow({
          scenario: 'B11',
          case: `dispatch 1 command → 1 event over ${AGGREGATES} aggregates, memory store: ${what}`,
          metric: cpu ? 'µs CPU/command' : 'commands/s',
          better: cpu ? 'lower' : 'higher',
          ours: pick(result.ours, cpu ? 'cpu' : 'rate'),
          baseline: pick(result.baseline, cpu ? 'cpu' : 'rate'),
          target,
          oursWork,
          baselineWork,
        });
      const bare = `the same commands with \`telemetry: { enabled: false }\` and no SDK context manager`;
      return [
        // CPU time per command is the steadier figure on a shared machine, where wall time waits for other processes.
        row(whole, undefined, 'OpenTelemetry SDK vs none, CPU', bare, true),
        row(
          whole,
          atLeastTimes(0.9),
          'OpenTelemetry SDK vs none',
          `the same commands with \`telemetry: { enabled: false }\` and no SDK context manager`,
        ),
        row(
          alone,
          undefined,
          'instrumentation alone',
          `the same commands with \`telemetry: { enabled: false }\`, the SDK's async-local-storage context manager enabled as on our side`,
        ),
      ];
    } finally {
      await traced?.close();
      await plain?.close();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
    }
  },
};

runIfMain(import.meta.url, b11Telemetry);
