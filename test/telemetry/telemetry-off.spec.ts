import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CommandGateway, EventHandler, EventStore, On, TelemetryChannels } from '../../lib/index.js';
import { waitForHandler } from '../../lib/testing/index.js';
import { createTelemetry } from '../../lib/event-sourcing.adapters.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { installOpenTelemetry } from './open-telemetry-sdk.js';

@EventHandler({ name: 'seen' })
class Seen {
  readonly ids: string[] = [];

  @On(Incremented)
  seen(event: Incremented) {
    this.ids.push(event.counterId);
  }
}

const sdk = installOpenTelemetry();
const command = { commandName: 'Increment', commandId: 'c1', aggregateType: 'Counter', aggregateId: 'x', streamId: 'counter-x' };

describe('telemetry turned off, or without the OpenTelemetry API', () => {
  let app: INestApplication;
  afterAll(async () => {
    await app?.close();
    await sdk.uninstall();
  });

  it('records no span, no metric and no channel message when turned off, and commands and handlers still run', async () => {
    app = await createApp({ aggregates: [Counter], providers: [Seen], options: { telemetry: { enabled: false } } });
    const messages: unknown[] = [];
    const handlers = { start: (message: unknown) => messages.push(message) };
    TelemetryChannels.command.subscribe(handlers as never);
    TelemetryChannels.append.subscribe(handlers as never);
    try {
      const id = `c-${randomUUID()}`;
      expect(await app.get(CommandGateway).dispatch(new Increment(id, 4), { returning: 'aggregateVersion' })).toBe(1);
      const store = app.get<EventStore>(EventStore);
      const [stored] = await store.readStream(`counter-${id}`);
      await waitForHandler(store, 'seen', stored.globalPosition);
      expect(app.get(Seen).ids).toEqual([id]);
      expect(stored.metadata.traceparent).toBeUndefined();
      expect(messages).toEqual([]);
      expect(sdk.spans()).toEqual([]);
      expect(await sdk.points('eventsourcing.commands')).toEqual([]);
      expect(await sdk.points('eventsourcing.aggregates.live')).toEqual([]);
    } finally {
      TelemetryChannels.command.unsubscribe(handlers as never);
      TelemetryChannels.append.unsubscribe(handlers as never);
    }
  });

  it('runs every step unchanged and records nothing when @opentelemetry/api cannot be loaded', async () => {
    const telemetry = await createTelemetry({ enabled: true }, 'node-1', () => Promise.reject(new Error("Cannot find package '@opentelemetry/api'")));
    const events = [{ eventId: randomUUID(), eventType: 'Incremented', data: {}, metadata: { who: 'test' } }];
    expect(await telemetry.dispatch(new Increment('x'), async () => 'dispatched')).toBe('dispatched');
    expect(await telemetry.append(command, events, async () => 'appended')).toBe('appended');
    expect(await telemetry.forward(command, 'node-2', async (trace) => trace)).toBeUndefined();
    await expect(telemetry.execute(command, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(events[0].metadata).toEqual({ who: 'test' });
    expect(sdk.spans()).toEqual([]);
  });

  it('records spans when the API loads (the same SDK, the same calls)', async () => {
    const telemetry = await createTelemetry({ enabled: true }, 'node-1');
    const events = [{ eventId: randomUUID(), eventType: 'Incremented', data: {}, metadata: { who: 'test' } }];
    await telemetry.append(command, events, async () => 'appended');
    expect(sdk.spans().map((span) => span.name)).toEqual(['append Counter']);
    expect(events[0].metadata).toEqual({
      who: 'test',
      traceparent: `00-${sdk.spans()[0].spanContext().traceId}-${sdk.spans()[0].spanContext().spanId}-01`,
    });
  });
});
