import type { INestApplication } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { CommandGateway, InMemoryEventStore, TelemetryAttributes as A } from '../../lib/index.js';
import { nodeOf, startCounterNode } from '../cluster/in-process-nodes.js';
import { Increment } from '../fixtures/counter.js';
import { eventually } from '../harness/eventually.js';
import { installOpenTelemetry, parentOf } from './open-telemetry-sdk.js';

const sdk = installOpenTelemetry();
const store = new InMemoryEventStore();

/** A counter id whose aggregate `owner` holds. */
function idOwnedBy(app: INestApplication, owner: string): string {
  for (let i = 0; i < 1000; i++) if (nodeOf(app).ownerOf(`counter-t${i}`) === owner) return `t${i}`;
  throw new Error(`no id owned by ${owner}`);
}

describe('a trace across cluster nodes', () => {
  let a: INestApplication;
  let b: INestApplication;
  beforeAll(async () => {
    [a, b] = await Promise.all([startCounterNode(store, 'a'), startCounterNode(store, 'b')]);
    await eventually(() => {
      expect(nodeOf(a).members.length).toBeGreaterThanOrEqual(2);
      expect(nodeOf(b).members.length).toBeGreaterThanOrEqual(2);
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sdk.uninstall();
  });

  it('continues the caller’s trace on the owner: forward (client) on one node, receive (server), execute and append on the other', async () => {
    const id = idOwnedBy(a, 'b');
    await a.get(CommandGateway).dispatch(new Increment(id, 2));
    const spans = sdk.spans();
    const dispatch = spans.find((span) => span.name === 'dispatch Increment')!;
    const trace = spans.filter((span) => span.spanContext().traceId === dispatch.spanContext().traceId);
    const [forward] = trace.filter((span) => span.name === 'forward Increment');
    expect(forward.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(forward)).toBe(dispatch.spanContext().spanId);
    expect(forward.attributes).toMatchObject({ [A.node]: 'a', [A.targetNode]: 'b', [A.aggregateId]: id });
    const [receive] = trace.filter((span) => span.name === 'receive Increment');
    expect(receive.kind).toBe(SpanKind.SERVER);
    expect(receive.attributes[A.node]).toBe('b');
    expect(parentOf(receive)).toBe(forward.spanContext().spanId);
    const [execute] = trace.filter((span) => span.name === 'execute Increment');
    expect([execute.attributes[A.node], parentOf(execute)]).toEqual(['b', receive.spanContext().spanId]);
    const [append] = trace.filter((span) => span.name === 'append Counter');
    expect(parentOf(append)).toBe(execute.spanContext().spanId);
    const [stored] = await store.readStream(`counter-${id}`);
    expect(stored.metadata.traceparent).toBe(`00-${dispatch.spanContext().traceId}-${append.spanContext().spanId}-01`);
  });

  it('marks the forward as failed when the owner answers with an error', async () => {
    const id = idOwnedBy(a, 'b');
    await expect(a.get(CommandGateway).dispatch(new Increment(id, 2_000_000))).rejects.toMatchObject({ code: 'TOO_HIGH' });
    const failed = sdk.spans().filter((span) => span.status.code === SpanStatusCode.ERROR);
    expect(failed.map((span) => [span.name, span.attributes[A.node], span.attributes[A.errorType]]).sort()).toEqual([
      ['dispatch Increment', 'a', 'TOO_HIGH'],
      ['execute Increment', 'b', 'TOO_HIGH'],
      ['forward Increment', 'a', 'TOO_HIGH'],
      ['receive Increment', 'b', 'TOO_HIGH'],
    ]);
  });
});
