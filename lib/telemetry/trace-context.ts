import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';

/**
 * The W3C trace context of a step, as it travels: in a forwarded command between nodes, and in
 * the metadata of every event a command appended (keys `traceparent` and `tracestate`), so
 * whoever handles the event later, on any node, continues the trace of the command behind it.
 */
export interface TraceCarrier {
  /** `00-<trace id>-<span id>-<flags>` (https://www.w3.org/TR/trace-context/). */
  traceparent: string;
  tracestate?: string;
}

/** The carrier found in an event's metadata, or undefined. */
export function carrierOf(metadata: Record<string, unknown> | undefined): TraceCarrier | undefined {
  const traceparent = metadata?.traceparent;
  if (typeof traceparent !== 'string') return undefined;
  const tracestate = metadata?.tracestate;
  return { traceparent, tracestate: typeof tracestate === 'string' ? tracestate : undefined };
}

/** The `@opentelemetry/api` module, loaded at start when it is installed. */
export type OpenTelemetryApiModule = typeof OpenTelemetryApi;

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** The carrier of a span's context, or undefined when nothing records it (no SDK). */
export function carrierOfSpan(api: OpenTelemetryApiModule, context: SpanContext): TraceCarrier | undefined {
  if (!api.isSpanContextValid(context)) return undefined;
  const flags = context.traceFlags.toString(16).padStart(2, '0');
  const tracestate = context.traceState?.serialize();
  return { traceparent: `00-${context.traceId}-${context.spanId}-${flags}`, ...(tracestate ? { tracestate } : {}) };
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
