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
