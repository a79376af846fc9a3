import type { INestApplication } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { CommandBus, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import {
  CommandGateway,
  type CommandMiddleware,
  type CommandPipeline,
  type EventContext,
  EventHandler,
  type ExecutionResult,
  InMemoryEventStore,
  isCommandRouteNotFound,
  isCommandTimeout,
  isConsistencyTimeout,
  isDomainError,
  isInvalidCommand,
  isInvalidOptions,
  isMissingAggregateIdentity,
  On,
  Projector,
} from '../../lib/index.js';
import { Counter, Increment, Incremented, IncrementTwice, Noop, ResetCounter } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { eventually } from '../harness/eventually.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds {@link SlowTotals} until the returned function is called. */
function holdSlowTotals(): () => void {
  let release = () => {};
  SlowTotals.held = new Promise<void>((resolve) => (release = resolve));
  return release;
}

/** A read model that takes its time, to prove strong dispatch waits for it. */
@Projector({ name: 'slow-totals', consistency: 'strong' })
class SlowTotals {
  /** While set, each event waits for it rather than for 150 ms: a test decides when the model catches up. */
  static held?: Promise<void>;
  readonly totals = new Map<string, number>();

  @On(Incremented)
  async incremented(event: Incremented) {
    await (SlowTotals.held ?? sleep(150));
    this.totals.set(event.counterId, (this.totals.get(event.counterId) ?? 0) + event.by);
  }
}

@EventHandler({ name: 'audit' })
class Audit {
  readonly seen: EventContext[] = [];

  @On(Incremented)
  incremented(_: Incremented, context: EventContext) {
    this.seen.push(context);
  }
}

@Injectable()
@EventsHandler(Incremented)
class CqrsListener implements IEventHandler<Incremented> {
  readonly received: Incremented[] = [];
  handle(event: Incremented) {
    this.received.push(event);
  }
}

class Unrouted {
  constructor(readonly counterId: string) {}
}

describe('CommandGateway.dispatch', () => {
  let app: INestApplication;
  let gateway: CommandGateway;
  let store: InMemoryEventStore;
  const calls: string[] = [];
  const recorder: CommandMiddleware = {
    beforeDispatch: (p: CommandPipeline) => {
      calls.push(`before ${p.commandName}`);
      p.metadata.tenant = 'acme';
    },
    afterDispatch: (p: CommandPipeline, r: ExecutionResult) => void calls.push(`after ${p.commandName} v${r.aggregateVersion}`),
    afterFailure: (p: CommandPipeline, e: unknown) => void calls.push(`failure ${p.commandName} ${(e as Error).name}`),
  };

  beforeEach(async () => {
    calls.length = 0;
    SlowTotals.held = undefined;
    store = new InMemoryEventStore();
    app = await createApp({
      aggregates: [Counter],
      providers: [SlowTotals, Audit, CqrsListener],
      options: { eventStore: store, commands: { middleware: [recorder] } },
    });
    gateway = app.get(CommandGateway);
  });
  afterEach(() => app.close());

  it('returns what `returning` asks for', async () => {
    expect(await gateway.dispatch(new Increment('r'))).toBeUndefined();
    expect(await gateway.dispatch(new IncrementTwice('r'), { returning: 'aggregateVersion' })).toBe(3);
    expect(await gateway.dispatch(new Increment('r', 5), { returning: 'events' })).toEqual([new Incremented('r', 5)]);
    const state = await gateway.dispatch<Counter>(new Noop('r'), { returning: 'aggregateState' });
    expect(state).toBeInstanceOf(Counter);
    expect(state.value).toBe(8);
    const result = await gateway.dispatch<ExecutionResult>(new Increment('r'), { returning: 'executionResult' });
    expect(result).toMatchObject({ aggregateId: 'r', streamId: 'counter-r', aggregateVersion: 5, globalPosition: 5 });
  });

  it('stores metadata, causation and correlation ids with the events', async () => {
    await gateway.dispatch(new IncrementTwice('m'), {
      metadata: { user: 'ada' },
      commandId: 'cmd-1',
      causationId: 'cause-1',
      correlationId: 'corr-1',
    });
    const events = await store.readStream('counter-m');
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event).toMatchObject({ causationId: 'cause-1', correlationId: 'corr-1', metadata: { user: 'ada', tenant: 'acme', commandId: 'cmd-1' } });
    }
    await gateway.dispatch(new Increment('m'), { commandId: 'cmd-2' });
    const [, , third] = await store.readStream('counter-m');
    expect(third).toMatchObject({ causationId: 'cmd-2', correlationId: 'cmd-2' });
  });

  it('gives events time-ordered ids (UUID version 7), so the event id index grows at its right edge', async () => {
    const started = Date.now();
    await gateway.dispatch(new IncrementTwice('ids'));
    await gateway.dispatch(new Increment('ids'));
    const ids = (await store.readStream('counter-ids')).map((event) => event.eventId);
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(started);
    }
  });

  it('executes a command id once: sending it again writes nothing more and returns the original outcome', async () => {
    const first = await gateway.dispatch<ExecutionResult>(new IncrementTwice('once'), { commandId: 'pay-42', returning: 'executionResult' });
    await gateway.dispatch(new IncrementTwice('once'), { commandId: 'pay-43' });
    const again = await gateway.dispatch<ExecutionResult>(new IncrementTwice('once'), { commandId: 'pay-42', returning: 'executionResult' });
    expect(first.events).toHaveLength(2);
    expect(again).toMatchObject({ aggregateVersion: 2, globalPosition: first.globalPosition, events: first.events });
    expect(again.events[0]).toBeInstanceOf(Incremented);
    expect(again.aggregateState).toMatchObject({ value: 4 });
    expect(await store.streamVersion('counter-once')).toBe(4);
    // A fresh instance, rebuilt from the store, still recognises it.
    const reloaded = await createApp({ aggregates: [Counter], options: { eventStore: store } });
    await reloaded.get(CommandGateway).dispatch(new IncrementTwice('once'), { commandId: 'pay-42' });
    expect(await store.streamVersion('counter-once')).toBe(4);
    await reloaded.close();
  });

  it('runs middleware around success and failure', async () => {
    await gateway.dispatch(new Increment('mw'));
    await gateway.dispatch(new Increment('mw', 2_000_000)).catch(() => undefined);
    expect(calls).toEqual(['before Increment', 'after Increment v1', 'before Increment', 'failure Increment TooHigh']);
  });

  it('lets middleware halt a command before anything is written', async () => {
    const halting = await createApp({
      aggregates: [Counter],
      options: { commands: { middleware: [{ beforeDispatch: () => Promise.reject(new Error('forbidden')) }] } },
    });
    await expect(halting.get(CommandGateway).dispatch(new Increment('h'))).rejects.toThrow('forbidden');
    await halting.close();
  });

  it('refuses bad commands and options with typed errors, writing nothing', async () => {
    const attempts: Array<[Promise<unknown>, (e: unknown) => boolean]> = [
      [gateway.dispatch(new Unrouted('u')), isCommandRouteNotFound],
      [gateway.dispatch({ counterId: 'u' }), isInvalidCommand],
      [gateway.dispatch(new Increment('')), isMissingAggregateIdentity],
      [gateway.dispatch(new Increment('u', 1.5)), isInvalidCommand],
      [gateway.dispatch(new Increment('u'), { timeout: -5 }), isInvalidOptions],
      [gateway.dispatch(new Increment('u'), { consistency: ['nope'] }), isInvalidOptions],
      [gateway.dispatch(new Increment('u'), { returning: 'everything' as never }), isInvalidOptions],
      [gateway.dispatch(new Increment('u', 2_000_000)), isDomainError],
    ];
    for (const [attempt, guard] of attempts) {
      const error = await failure(attempt);
      expect(guard(error)).toBe(true);
      expect(error.message.length).toBeGreaterThan(20);
    }
    expect(await store.headPosition()).toBe(0);
  });

  it('fails with CommandTimeoutError when the command outlasts its timeout', async () => {
    const error = await failure(gateway.dispatch(new Increment('t', 1, 300), { timeout: 50 }));
    expect(isCommandTimeout(error)).toBe(true);
    expect(error.message).toMatch(/within 50 ms/);
  });

  it('waits for strong projectors before returning', async () => {
    const totals = app.get(SlowTotals);
    await gateway.dispatch(new Increment('s', 7), { consistency: 'strong' });
    expect(totals.totals.get('s')).toBe(7);
    await gateway.dispatch(new Increment('s', 1), { consistency: ['slow-totals'] });
    expect(totals.totals.get('s')).toBe(8);
  });

  it('returns before eventual projectors catch up', async () => {
    const release = holdSlowTotals();
    await gateway.dispatch(new Increment('e', 7));
    expect(app.get(SlowTotals).totals.get('e')).toBeUndefined();
    release();
  });

  it('fails with ConsistencyTimeoutError when strong projectors are too slow, after committing', async () => {
    const release = holdSlowTotals();
    // The projector is held until the answer is in, so only the wait for it can time out; the
    // timeout still has to cover the append, which takes far less.
    const error = await failure(gateway.dispatch(new Increment('slow'), { consistency: 'strong', timeout: 1000 }));
    release();
    expect(isConsistencyTimeout(error)).toBe(true);
    expect(error.pending).toEqual(['slow-totals']);
    expect(await store.streamVersion('counter-slow')).toBe(1);
  });

  it('does not wait for a strong projector that handles none of the events written', async () => {
    const release = holdSlowTotals();
    try {
      // The strong projector is stuck on this one...
      await gateway.dispatch(new Increment('busy'));
      // ...and has no code for a Reset: the strong dispatch that writes one answers without it.
      const result = await gateway.dispatch<ExecutionResult>(new ResetCounter('busy'), { consistency: 'strong', returning: 'executionResult' });
      expect(result.eventTypes).toEqual(['Reset']);
      expect(app.get(SlowTotals).totals.get('busy')).toBeUndefined();
    } finally {
      release();
    }
  });

  it('hands handlers the event context', async () => {
    await gateway.dispatch(new Increment('ctx'), { consistency: ['audit'], correlationId: 'corr-ctx' });
    expect(app.get(Audit).seen[0]).toMatchObject({
      eventType: 'Incremented',
      streamId: 'counter-ctx',
      streamVersion: 1,
      globalPosition: 1,
      correlationId: 'corr-ctx',
    });
  });

  it('reaches the same aggregates through @nestjs/cqrs CommandBus and publishes on its EventBus', async () => {
    await app.get(CommandBus).execute(new Increment('cqrs', 4));
    await gateway.dispatch(new Increment('cqrs', 1));
    expect(await store.streamVersion('counter-cqrs')).toBe(2);
    await eventually(() => expect(app.get(CqrsListener).received).toHaveLength(2));
    expect(app.get(CqrsListener).received).toEqual([new Incremented('cqrs', 4), new Incremented('cqrs', 1)]);
  });
});
