import { Injectable, type INestApplication } from '@nestjs/common';
import {
  Aggregate,
  ANY,
  CommandGateway,
  DomainEvent,
  EventSourcingError,
  Execute,
  InMemoryEventStore,
  NO_STREAM,
  type NewEvent,
  On,
} from '../../lib/index.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { report } from './bank-setup.js';

class Unrouted {
  constructor(readonly counterId: string) {}
}

/** Decorated, but registered by nothing: no @Apply, @On or forFeature({ events }) names it. */
@DomainEvent('Loosened')
class Loosened {
  constructor(readonly looseId: string) {}
}

class Loosen {
  constructor(readonly looseId: string) {}
}

@Aggregate({ identity: 'looseId', prefix: 'loose-' })
class Loose {
  @Execute(Loosen)
  loosen({ looseId }: Loosen) {
    return new Loosened(looseId);
  }
}

/** @On methods without @EventHandler or @Projector: they would never run. */
@Injectable()
class Undecorated {
  @On(Incremented)
  incremented() {
    return undefined;
  }
}

const event = (eventId: string, data: Record<string, unknown> = { counterId: 'c', by: 1 }): NewEvent => ({
  eventId,
  eventType: 'Incremented',
  data,
  metadata: {},
});

/** The error `work` fails with, or a marker that it did not fail. */
const outcome = (work: () => unknown) =>
  Promise.resolve()
    .then(work)
    .then(
      (value) => ({ resolved: value }),
      (error: unknown) => error,
    );

describe('faults: bad input through the library API', () => {
  let app: INestApplication;
  let gateway: CommandGateway;
  const store = new InMemoryEventStore(64 * 1024);

  beforeAll(async () => {
    app = await createApp({ options: { eventStore: store }, aggregates: [Counter, Loose] });
    gateway = app.get(CommandGateway);
    await gateway.dispatch(new Increment('c'));
  });
  afterAll(() => app?.close());

  it('refuses each bad input with an EventSourcingError subclass and writes nothing', async () => {
    const attempts: Array<[string, () => unknown]> = [
      ['unrouted command', () => gateway.dispatch(new Unrouted('c'))],
      ['plain object command', () => gateway.dispatch({ counterId: 'c' })],
      ['null command', () => gateway.dispatch(null as never)],
      ['missing identity', () => gateway.dispatch(new Increment(undefined as never))],
      ['empty identity', () => gateway.dispatch(new Increment(''))],
      ['invalid payload', () => gateway.dispatch(new Increment('c', 1.5))],
      ['domain refusal', () => gateway.dispatch(new Increment('c', 2_000_000))],
      ['event class registered for no reader', () => gateway.dispatch(new Loosen('c'))],
      ['negative timeout', () => gateway.dispatch(new Increment('c'), { timeout: -1 })],
      ['unknown consistency', () => gateway.dispatch(new Increment('c'), { consistency: 'sometimes' as never })],
      ['unknown subscription in consistency', () => gateway.dispatch(new Increment('c'), { consistency: ['nope'] })],
      ['unknown returning', () => gateway.dispatch(new Increment('c'), { returning: 'everything' as never })],
      ['wrong expected version', () => store.appendToStream('counter-c', 5, [event('00000000-0000-4000-8000-000000000001')])],
      ['no-stream on an existing stream', () => store.appendToStream('counter-c', NO_STREAM, [event('00000000-0000-4000-8000-000000000002')])],
      ['oversize event', () => store.appendToStream('counter-c', ANY, [event('00000000-0000-4000-8000-000000000003', { pad: 'x'.repeat(100_000) })])],
      ['bad options at boot', () => createApp({ options: { eventStore: { adapter: 'nowhere' } as never, commands: { timeout: -1 } } })],
      ['bad pubsub at boot', () => createApp({ options: { eventStore: { adapter: 'memory' }, pubsub: 'carrier-pigeon' as never } })],
      [
        'bad subscription options at boot',
        () => createApp({ options: { eventStore: { adapter: 'memory' }, subscriptions: { errorPolicy: 'pray' as never } } }),
      ],
      ['@On without a class decorator at boot', () => createApp({ options: { eventStore: { adapter: 'memory' } }, providers: [Undecorated] })],
      ['bad aggregate limits at boot', () => createApp({ options: { eventStore: { adapter: 'memory' }, aggregates: { maxInstances: 0 } } })],
    ];
    const before = await store.headPosition();
    const untyped: string[] = [];
    for (const [label, work] of attempts) {
      const error = await outcome(work);
      if (!(error instanceof EventSourcingError))
        untyped.push(`${label}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : JSON.stringify(error)}`);
    }
    expect(untyped).toEqual([]);
    expect(await store.headPosition()).toBe(before);
    expect(await store.streamVersion('counter-c')).toBe(1);
    report('bad input through the library', { tried: attempts.length, written: (await store.headPosition()) - before });
  });

  it('refuses metadata that cannot be stored as JSON with a typed error, writing nothing', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const before = await store.headPosition();
    const error = await outcome(() => gateway.dispatch(new Increment('c'), { metadata: circular }));
    expect(await store.headPosition()).toBe(before);
    if (!(error instanceof EventSourcingError)) throw new Error(`circular metadata failed with an untyped ${String(error)}`);
  });
});
