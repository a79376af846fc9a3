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

/**
 * Writes the carrier into the metadata of each event of an append, in place: the events were
 * built for this append, and a copied metadata object per event costs more than the whole span
 * (spread copies take V8's slow path, and the store serializes the result slower too).
 */
export function writeCarrier(events: Array<{ metadata?: Record<string, unknown> }>, carrier: TraceCarrier | undefined): void {
  if (!carrier) return;
  for (const event of events) {
    const metadata = (event.metadata ??= {});
    metadata.traceparent = carrier.traceparent;
    if (carrier.tracestate) metadata.tracestate = carrier.tracestate;
  }
}
