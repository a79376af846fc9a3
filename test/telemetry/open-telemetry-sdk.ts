import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, type MetricData, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { INSTRUMENTATION_SCOPE } from '../../lib/index.js';

/** A reader the test collects from when it wants, instead of on a timer. */
class OnDemandReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** The OpenTelemetry SDK registered globally, as an application does before it creates its Nest app. */
export interface InstalledSdk {
  spans(): ReadableSpan[];
  /** The data points of one of the library's metrics, as of now. */
  points<T = number>(name: string): Promise<Array<DataPoint<T>>>;
  uninstall(): Promise<void>;
}

export function installOpenTelemetry(): InstalledSdk {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => exporter.getFinishedSpans(),
    async points<T>(name: string) {
      const { resourceMetrics } = await reader.collect();
      const scope = resourceMetrics.scopeMetrics.find((s) => s.scope.name === INSTRUMENTATION_SCOPE);
      const metric = scope?.metrics.find((m: MetricData) => m.descriptor.name === name);
      return (metric?.dataPoints ?? []) as Array<DataPoint<T>>;
    },
    async uninstall() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The span's parent span id, if it has a parent. */
export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/** True when `ancestor` is on the parent chain of `span` (within the finished spans). */
export function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, all: ReadableSpan[]): boolean {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  for (let parent = parentOf(span); parent; parent = byId.get(parent) && parentOf(byId.get(parent)!)) {
    if (parent === ancestor.spanContext().spanId) return true;
  }
  return false;
}
