import { randomUUID } from 'node:crypto';
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import type { INestApplication } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CommandGateway, EventHandler, EventStore, On, SubscriptionManager, TelemetryAttributes as A, TelemetryChannels } from '../../lib/index.js';
import { waitForEvent } from '../../lib/testing/index.js';
import { OpenAccount } from '../../sample/accounts/account.commands.js';
import { BankAccount } from '../../sample/accounts/bank-account.aggregate.js';
import { RequestTransfer } from '../../sample/transfers/transfer.commands.js';
import { Transfer } from '../../sample/transfers/transfer.aggregate.js';
import { TransferMoney } from '../../sample/transfers/transfer-money.process-manager.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { eventually } from '../harness/eventually.js';
import { TelemetryGaugesHost } from '../../lib/telemetry-gauges.js';
import { descendsFrom, installOpenTelemetry, type InstalledSdk, parentOf } from './open-telemetry-sdk.js';

/** Halts on an increment by 13, so the event it stopped on waits for an operator. */
@EventHandler({ name: 'picky', errorPolicy: 'stop' })
class Picky {
  @On(Incremented)
  check(event: Incremented) {
    if (event.by === 13) throw new Error('thirteen is refused');
  }
}

/** Parks an increment by 13 and goes on. */
@EventHandler({ name: 'parking', errorPolicy: 'park' })
class Parking {
  @On(Incremented)
  check(event: Incremented) {
    if (event.by === 13) throw new Error('thirteen is parked');
  }
}

const sdk: InstalledSdk = installOpenTelemetry();
let app: INestApplication;
let store: EventStore;

/** Waits until the subscription has acknowledged the store's head. */
async function caughtUp(name: string): Promise<void> {
  const head = await store.headPosition();
  await eventually(() => expect(app.get(SubscriptionManager).status(name)?.position).toBe(head));
}

const named = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const one = (spans: ReadableSpan[], name: string, attributes: Record<string, unknown> = {}) => {
  const found = named(spans, name).filter((span) => Object.entries(attributes).every(([key, value]) => span.attributes[key] === value));
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0];
};

describe('OpenTelemetry spans and metrics, diagnostics channels', () => {
  beforeAll(async () => {
    app = await createApp({
      aggregates: [BankAccount, Transfer, Counter],
      processManagers: [TransferMoney],
      providers: [Picky, Parking],
      options: { nodeName: 'node-1' },
    });
    store = app.get<EventStore>(EventStore);
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await app?.close();
    await sdk.uninstall();
  });

  it('traces a transfer as one tree: dispatch, load, execute, append, then the process manager and the commands it sends', async () => {
    const gateway = app.get(CommandGateway);
    const [from, to, transferId] = [`a-${randomUUID()}`, `b-${randomUUID()}`, `t-${randomUUID()}`];
    await gateway.dispatch(new OpenAccount(from, 100));
    await gateway.dispatch(new OpenAccount(to, 0));
    await gateway.dispatch(new RequestTransfer(transferId, from, to, 30));
    await waitForEvent(store, (event) => event.eventType === 'TransferCompleted' && event.data.transferId === transferId);
    await caughtUp('transfer-money');
    const spans = sdk.spans();

    const dispatch = one(spans, 'dispatch RequestTransfer');
    expect(parentOf(dispatch)).toBeUndefined();
    expect(dispatch.attributes).toMatchObject({ [A.commandType]: 'RequestTransfer', [A.node]: 'node-1' });
    const trace = dispatch.spanContext().traceId;
    const inTrace = spans.filter((span) => span.spanContext().traceId === trace);
    const execute = one(inTrace, 'execute RequestTransfer');
    expect(parentOf(execute)).toBe(dispatch.spanContext().spanId);
    expect(execute.attributes).toMatchObject({ [A.aggregateType]: 'Transfer', [A.aggregateId]: transferId, [A.streamId]: `transfer-${transferId}` });
    expect(parentOf(one(inTrace, 'load Transfer'))).toBe(dispatch.spanContext().spanId);
    const append = inTrace.find((span) => span.name === 'append Transfer' && parentOf(span) === execute.spanContext().spanId)!;
    expect(append.attributes).toMatchObject({ [A.streamId]: `transfer-${transferId}`, [A.eventCount]: 1 });
    expect(append.kind).toBe(SpanKind.PRODUCER);

    // The stored event carries the append's context; the process manager's span is its child.
    const [requested] = await store.readStream(`transfer-${transferId}`);
    expect(requested.metadata.traceparent).toBe(`00-${trace}-${append.spanContext().spanId}-01`);
    const started = one(inTrace, 'handle TransferRequested', { [A.subscription]: 'transfer-money' });
    expect(started.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(started)).toBe(append.spanContext().spanId);
    expect(started.attributes).toMatchObject({
      [A.eventType]: 'TransferRequested',
      [A.globalPosition]: requested.globalPosition,
      [A.node]: 'node-1',
    });

    // The commands it sends continue the trace, below the step that sent them.
    const withdraw = one(inTrace, 'dispatch WithdrawMoney');
    expect(parentOf(withdraw)).toBe(started.spanContext().spanId);
    const deposit = one(inTrace, 'dispatch DepositMoney');
    expect(descendsFrom(deposit, withdraw, spans)).toBe(true);
    expect(descendsFrom(one(inTrace, 'dispatch CompleteTransfer'), deposit, spans)).toBe(true);
    expect(descendsFrom(one(inTrace, 'handle TransferCompleted'), dispatch, spans)).toBe(true);
    expect(inTrace.every((span) => span.status.code !== SpanStatusCode.ERROR)).toBe(true);

    const commands = await sdk.points('eventsourcing.commands');
    const counted = (type: string) => commands.find((p) => p.attributes[A.commandType] === type && p.attributes[A.outcome] === 'ok')?.value;
    expect([counted('RequestTransfer'), counted('WithdrawMoney'), counted('DepositMoney'), counted('CompleteTransfer')]).toEqual([1, 1, 1, 1]);
    expect(counted('OpenAccount')).toBe(2);
    const appends = await sdk.points<Histogram>('eventsourcing.append.duration');
    expect(appends.find((p) => p.attributes[A.aggregateType] === 'BankAccount')?.value.count).toBe(4);
    const handled = await sdk.points<Histogram>('eventsourcing.handler.duration');
    const steps = handled.filter((p) => p.attributes[A.subscription] === 'transfer-money').reduce((sum, p) => sum + p.value.count, 0);
    expect(steps).toBe(4);
    const live = await sdk.points('eventsourcing.aggregates.live');
    expect(live.map((p) => p.value)).toEqual([3]);
    const lag = await sdk.points('eventsourcing.subscription.lag');
    expect(lag.find((p) => p.attributes[A.subscription] === 'transfer-money')?.value).toBe(0);
  });

  it('records a failed command with error status and outcome, and counts a conflict and its retry', async () => {
    const gateway = app.get(CommandGateway);
    const id = `c-${randomUUID()}`;
    await gateway.dispatch(new Increment(id, 1));
    // Another writer moves the stream behind the cached instance: the next append conflicts once.
    await store.appendToStream(`counter-${id}`, 1, [{ eventId: randomUUID(), eventType: 'Incremented', data: { counterId: id, by: 1 } }]);
    expect(await gateway.dispatch(new Increment(id, 1), { returning: 'aggregateVersion' })).toBe(3);
    expect((await sdk.points('eventsourcing.append.conflicts')).map((p) => [p.attributes[A.aggregateType], p.value])).toEqual([['Counter', 1]]);
    expect((await sdk.points('eventsourcing.command.retries')).map((p) => [p.attributes[A.commandType], p.value])).toEqual([['Increment', 1]]);
    const retried = sdk.spans().filter((span) => span.name === 'execute Increment' && span.events.some((e) => e.name === 'retry'));
    expect(retried).toHaveLength(1);

    await expect(gateway.dispatch(new Increment(id, 2_000_000))).rejects.toMatchObject({ code: 'TOO_HIGH' });
    const failed = sdk.spans().filter((span) => span.name === 'dispatch Increment' && span.status.code === SpanStatusCode.ERROR);
    expect(failed).toHaveLength(1);
    expect(failed[0].attributes[A.errorType]).toBe('TOO_HIGH');
    expect(failed[0].events.map((e) => e.name)).toEqual(['exception']);
    const outcomes = (await sdk.points('eventsourcing.commands')).filter((p) => p.attributes[A.commandType] === 'Increment');
    expect(outcomes.map((p) => [p.attributes[A.outcome], p.attributes[A.errorType], p.value]).sort()).toEqual([
      ['error', 'TOO_HIGH', 1],
      ['ok', undefined, 2],
    ]);
  });

  it('publishes the same steps on the diagnostics channels', async () => {
    const seen: Array<[string, string, Record<string, unknown>]> = [];
    const subscribers = (['command', 'execute', 'append', 'handler'] as const).map((name) => {
      const handlers = Object.fromEntries(
        (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((phase) => [
          phase,
          (message: object) => seen.push([name, phase, message as Record<string, unknown>]),
        ]),
      );
      TelemetryChannels[name].subscribe(handlers as never);
      return () => TelemetryChannels[name].unsubscribe(handlers as never);
    });
    const retries: unknown[] = [];
    const onRetry = (message: unknown) => retries.push(message);
    subscribe('nestjs-event-sourcing:retry', onRetry);
    try {
      const id = `c-${randomUUID()}`;
      await app.get(CommandGateway).dispatch(new Increment(id, 2));
      await caughtUp('transfer-money');
      await store.appendToStream(`counter-${id}`, 1, [{ eventId: randomUUID(), eventType: 'Incremented', data: { counterId: id, by: 1 } }]);
      await app.get(CommandGateway).dispatch(new Increment(id, 3));
      const phases = (name: string) => seen.filter(([channel]) => channel === name).map(([, phase]) => phase);
      expect(phases('command')).toEqual(['start', 'end', 'asyncStart', 'asyncEnd', 'start', 'end', 'asyncStart', 'asyncEnd']);
      const [, , started] = seen.find(([channel, phase]) => channel === 'command' && phase === 'start')!;
      expect(started).toMatchObject({ commandName: 'Increment', command: new Increment(id, 2) });
      const appends = seen.filter(([channel, phase, m]) => channel === 'append' && phase === 'asyncEnd' && 'result' in m).map(([, , m]) => m);
      expect(appends.map((m) => [m.streamId, (m.result as { streamVersion: number }).streamVersion])).toEqual([
        [`counter-${id}`, 1],
        [`counter-${id}`, 3],
      ]);
      expect((appends[0].events as Array<{ metadata: Record<string, unknown> }>)[0].metadata.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
      expect(seen.filter(([channel, phase]) => channel === 'append' && phase === 'error').map(([, , m]) => (m.error as Error).name)).toEqual([
        'WrongExpectedVersionError',
      ]);
      expect(retries).toEqual([{ command: expect.objectContaining({ commandName: 'Increment', streamId: `counter-${id}` }), attempt: 2 }]);
      expect(phases('execute').filter((phase) => phase === 'start')).toHaveLength(2);
      await caughtUp('picky');
      const handled = seen
        .filter(([channel, phase, m]) => channel === 'handler' && phase === 'asyncEnd' && m.subscription === 'picky')
        .map(([, , m]) => [
          m.subscription,
          (m.event as { streamId: string; streamVersion: number }).streamVersion,
          (m.event as { streamId: string }).streamId,
        ]);
      expect(handled).toEqual([1, 2, 3].map((version) => ['picky', version, `counter-${id}`]));
    } finally {
      subscribers.forEach((stop) => stop());
      unsubscribe('nestjs-event-sourcing:retry', onRetry);
    }
    expect(tracingChannel('nestjs-event-sourcing:command').hasSubscribers).toBe(false);
  });
  it('counts a handler failure, the lag of the halted subscription and the parked event of the parking one', async () => {
    const id = `c-${randomUUID()}`;
    await app.get(CommandGateway).dispatch(new Increment(id, 13));
    await app.get(CommandGateway).dispatch(new Increment(id, 1));
    await eventually(() => expect(app.get(SubscriptionManager).status('picky')?.state).toBe('stopped'));
    const errors = await sdk.points('eventsourcing.handler.errors');
    const failures = errors.filter((p) => p.attributes[A.subscription] === 'picky').map((p) => [p.attributes[A.eventType], p.value]);
    expect(failures).toEqual([['Incremented', 1]]);
    await eventually(async () => expect(await store.parkedEvents.count('parking')).toBeGreaterThan(0));
    const failed = one(sdk.spans(), 'handle Incremented', { [A.subscription]: 'picky', [A.streamId]: `counter-${id}` });
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    const parked = await sdk.points('eventsourcing.events.parked');
    expect(parked.find((p) => p.attributes[A.subscription] === 'parking')?.value).toBe(1);
    expect(parked.find((p) => p.attributes[A.subscription] === 'picky')?.value).toBe(0);
    expect(parked.find((p) => p.attributes[A.subscription] === 'transfer-money')?.value).toBe(0);
    // It stopped before the failing event: that one and the next are behind.
    const lag = await sdk.points('eventsourcing.subscription.lag');
    expect(lag.find((p) => p.attributes[A.subscription] === 'picky')?.value).toBe(2);
  });

  it('stops reading the gauges once the application closes', async () => {
    const gauges = app.get(TelemetryGaugesHost);
    let readings = 0;
    const live = gauges.liveAggregates.bind(gauges);
    gauges.liveAggregates = () => (readings++, live());
    await sdk.points('eventsourcing.aggregates.live');
    expect(readings).toBe(1);
    await app.close();
    closed = true;
    await sdk.points('eventsourcing.aggregates.live');
    expect(readings).toBe(1);
  });
});
