import * as api from '@opentelemetry/api';
import { carrierOfSpan, contextOfCarrier } from '../../lib/telemetry/trace-context.js';
import { carrierOf } from '../../lib/telemetry/trace-carrier.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('W3C trace context in event metadata', () => {
  it('reads back the span context it wrote, trace state included', () => {
    const traceState = api.createTraceState('vendor=abc,other=1');
    const carrier = carrierOfSpan(api, { traceId: TRACE, spanId: SPAN, traceFlags: 1, traceState });
    expect(carrier).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'vendor=abc,other=1' });
    const read = api.trace.getSpanContext(contextOfCarrier(api, carrierOf({ commandId: 'x', ...carrier }))!);
    expect(read).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    expect(read?.traceState?.get('vendor')).toBe('abc');
  });

  it('writes nothing for a span nobody records, and ignores a missing or malformed traceparent', () => {
    expect(carrierOfSpan(api, api.INVALID_SPAN_CONTEXT)).toBeUndefined();
    expect(carrierOf({ commandId: 'x' })).toBeUndefined();
    expect(carrierOf({ traceparent: 42 })).toBeUndefined();
    for (const traceparent of [
      'garbage',
      `ff-${TRACE}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
    ]) {
      expect(contextOfCarrier(api, { traceparent })).toBeUndefined();
    }
  });
});
