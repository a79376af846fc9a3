import { context, metrics, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { TelemetryAttributes as A } from '../lib/index.js';
import { WALLET_PREFIX } from './bench-domain.js';

/** ExportResultCode.SUCCESS of @opentelemetry/core. */
const SUCCESS = 0;

/** Exporters that accept everything and send it nowhere: the SDK's own cost, without a network. */
const noSpans: SpanExporter = { export: (_spans, done) => done({ code: SUCCESS }), shutdown: async () => undefined };
const noMetrics: PushMetricExporter = {
  export: (_metrics, done) => done({ code: SUCCESS }),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/** The OpenTelemetry SDK as an application registers it, with its context manager switched per side. */
export interface BenchSdk {
  /**
   * Runs `work` inside a context of the SDK's async-local-storage context manager (on), as under a
   * traced request, so every promise pays its tracking; or with no context manager (off).
   */
  withContext<T>(on: boolean, work: () => Promise<T>): Promise<T>;
  shutdown(): Promise<void>;
}

/** Registers a batch span processor and a periodic metric reader, both exporting to nowhere. */
export function installBenchSdk(): BenchSdk {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noSpans)] });
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: noMetrics, exportIntervalMillis: 10_000 })] });
  const contextManager = new AsyncLocalStorageContextManager();
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    async withContext(on, work) {
      if (!on) return work();
      context.setGlobalContextManager(contextManager.enable());
      try {
        return await context.with(context.active(), work);
      } finally {
        context.disable();
      }
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
    },
  };
}

/**
 * What the SDK alone costs for one traced credit, with no library code: the three nested active
 * spans the instrumentation makes (same names, kinds and attribute keys) and the one metric record
 * it makes through the SDK per command (append histogram), around one awaited promise standing for
 * the work. Nothing written into event metadata, no command counted: those are the library's.
 */
export function sdkFloor(): (walletId: string, index: number) => Promise<void> {
  const tracer = trace.getTracer('b11-sdk-floor');
  const meter = metrics.getMeter('b11-sdk-floor');
  const appends = meter.createHistogram('b11.append.duration', { unit: 's' });
  const dispatch = { attributes: { [A.commandType]: 'CreditWallet', [A.node]: 'bench' } };
  const appendOk = { [A.aggregateType]: 'Wallet', [A.outcome]: 'ok' };
  return (walletId, index) =>
    tracer.startActiveSpan('dispatch CreditWallet', dispatch, async (dispatched) => {
      const streamId = `${WALLET_PREFIX}${walletId}`;
      const executeAttributes = {
        [A.commandType]: 'CreditWallet',
        [A.commandId]: `command-${index}`,
        [A.aggregateType]: 'Wallet',
        [A.aggregateId]: walletId,
        [A.streamId]: streamId,
        [A.node]: 'bench',
      };
      await tracer.startActiveSpan('execute CreditWallet', { attributes: executeAttributes }, async (executed) => {
        const appendAttributes = { [A.streamId]: streamId, [A.aggregateType]: 'Wallet', [A.eventCount]: 1 };
        await tracer.startActiveSpan('append Wallet', { kind: SpanKind.PRODUCER, attributes: appendAttributes }, async (appended) => {
          const started = performance.now();
          await Promise.resolve();
          appended.end();
          appends.record((performance.now() - started) / 1000, appendOk);
        });
        executed.end();
      });
      dispatched.end();
    });
}

/** The same nesting of awaited async steps as {@link sdkFloor}, without the SDK. */
export async function bareSteps(): Promise<void> {
  await (async () => {
    await (async () => {
      await Promise.resolve();
    })();
  })();
}
