import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import type { TraceCarrier } from './trace-carrier.js';

/** The `@opentelemetry/api` module, loaded at start when it is installed. */
export type OpenTelemetryApiModule = typeof OpenTelemetryApi;

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** The trace flags as two hex digits, per byte value: formatting them is a runtime call on every append. */
const FLAGS = Array.from({ length: 256 }, (_, flags) => flags.toString(16).padStart(2, '0'));

/** The carrier of a span's context, or undefined when nothing records it (no SDK). */
export function carrierOfSpan(api: OpenTelemetryApiModule, context: SpanContext): TraceCarrier | undefined {
  if (!api.isSpanContextValid(context)) return undefined;
  const flags = FLAGS[context.traceFlags] ?? context.traceFlags.toString(16).padStart(2, '0');
  const traceparent = `00-${context.traceId}-${context.spanId}-${flags}`;
  const tracestate = context.traceState?.serialize();
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The remote context a carrier describes, or undefined when it is missing or malformed. */
export function contextOfCarrier(api: OpenTelemetryApiModule, carrier: TraceCarrier | undefined): Context | undefined {
  const match = carrier && TRACEPARENT.exec(carrier.traceparent.trim());
  // Version ff is forbidden by the specification.
  if (!match || match[1] === 'ff') return undefined;
  const spanContext: SpanContext = {
    traceId: match[2],
    spanId: match[3],
    traceFlags: parseInt(match[4], 16),
    isRemote: true,
    traceState: carrier.tracestate ? api.createTraceState(carrier.tracestate) : undefined,
  };
  return api.isSpanContextValid(spanContext) ? api.trace.setSpanContext(api.ROOT_CONTEXT, spanContext) : undefined;
}
