import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AggregateManager } from '../../lib/aggregates/aggregate-manager.js';
import {
  Aggregate,
  AggregateReader,
  Apply,
  CommandGateway,
  DomainEvent,
  EventStore,
  type ExecutionResult,
  Execute,
  InMemoryEventStore,
  isAggregateNotFound,
  isUnknownEventType,
  isWrongExpectedVersion,
  On,
  Projector,
  TaggedStateCodec,
} from '../../lib/index.js';
import { concurrency, Counter, Increment, Incremented, IncrementTwice, Noop } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { eventually } from '../harness/eventually.js';

const stateOf = (gateway: CommandGateway, id: string) => gateway.dispatch<Counter>(new Noop(id), { returning: 'aggregateState' });

describe('aggregates on the local registry', () => {
  let app: INestApplication;
  let gateway: CommandGateway;
  let store: InMemoryEventStore;

  const boot = async (options = {}) => {
    store = new InMemoryEventStore();
    app = await createApp({ aggregates: [Counter], options: { eventStore: store, ...options } });
    gateway = app.get(CommandGateway);
  };
  afterEach(() => app?.close());

  it('runs concurrent commands to one instance one at a time', async () => {
    await boot();
    concurrency.max = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => gateway.dispatch<ExecutionResult>(new Increment('c1', 1, 5), { returning: 'executionResult' })),
    );
    expect(results.map((r) => r.aggregateVersion).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The last command's answer: one cached instance ran all twenty.
    const last = results.find((r) => r.aggregateVersion === 20)!.aggregateState as Counter;
    expect(last.applied).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(last.handled).toBe(20);
    expect(concurrency.max).toBe(1);
  });

  it('gives the exact total after 1,000 concurrent increments', async () => {
    await boot();
    await Promise.all(Array.from({ length: 1000 }, () => gateway.dispatch(new Increment('hot', 3))));
    expect((await stateOf(gateway, 'hot')).value).toBe(3000);
    expect(await store.streamVersion('counter-hot')).toBe(1000);
  });

  it('retries a command whose append conflicts with a write behind its back, losing nothing', async () => {
    await boot();
    await gateway.dispatch(new Increment('c2', 1));
    // Another writer (another node, say) appends while this instance is cached at version 1.
    await store.appendToStream('counter-c2', 1, [{ eventId: randomUUID(), eventType: 'Incremented', data: { counterId: 'c2', by: 10 } }]);
    const version = await gateway.dispatch(new Increment('c2', 100), { returning: 'aggregateVersion' });
    expect(version).toBe(3);
    const events = await store.readStream('counter-c2');
    expect(events.map((e) => e.data.by)).toEqual([1, 10, 100]);
    expect((await stateOf(gateway, 'c2')).value).toBe(111);
  });

  it('fails clearly when conflicts outlast the attempts', async () => {
    await boot({ commands: { maxAttempts: 3 } });
    await gateway.dispatch(new Increment('c3'));
    const sabotage = store.appendToStream.bind(store);
    let conflicts = 0;
    // Every append of this stream is preceded by a foreign write: the command can never win.
    store.appendToStream = async (streamId, expected, events, options) => {
      if (streamId === 'counter-c3' && typeof expected === 'number') {
        conflicts++;
        await sabotage(streamId, 'any', [{ eventId: randomUUID(), eventType: 'Incremented', data: { counterId: 'c3', by: 1 } }]);
      }
      return sabotage(streamId, expected, events, options);
    };
    const error = await failure(gateway.dispatch(new Increment('c3')));
    expect(isWrongExpectedVersion(error)).toBe(true);
    expect(error.message).toMatch(/conflicted 3 times/);
    expect(conflicts).toBe(3);
  });

  it('evicts idle instances and rebuilds them from the store', async () => {
    await boot({ aggregates: { idleTimeout: 150 } });
    const manager = app.get(AggregateManager);
    await gateway.dispatch(new IncrementTwice('idle'));
    expect(manager.peek('counter-idle')).toBeDefined();
    await eventually(() => expect(manager.peek('counter-idle')).toBeUndefined());
    const state = await stateOf(gateway, 'idle');
    expect(state).toMatchObject({ value: 2, applied: [1, 2], handled: 0 });
  });

  it('keeps at most maxInstances live, evicting the least recently used', async () => {
    await boot({ aggregates: { maxInstances: 3 } });
    const manager = app.get(AggregateManager);
    for (const id of ['a', 'b', 'c']) await gateway.dispatch(new Increment(id));
    await gateway.dispatch(new Increment('a'));
    await gateway.dispatch(new Increment('d'));
    expect(manager.size).toBe(3);
    expect(manager.peek('counter-b')).toBeUndefined();
    expect(manager.peek('counter-a')).toBeDefined();
    expect((await stateOf(gateway, 'b')).value).toBe(1);
  });

  it('refuses to rebuild from an event type no class declares', async () => {
    await boot();
    await store.appendToStream('counter-x', 0, [{ eventId: randomUUID(), eventType: 'Decremented', data: {} }]);
    const error = await failure(gateway.dispatch(new Increment('x')));
    expect(isUnknownEventType(error)).toBe(true);
    expect(error.message).toMatch(/Decremented.*@DomainEvent\('Decremented'\)/);
    expect(await store.streamVersion('counter-x')).toBe(1);
  });
});

@DomainEvent('Deposited')
class Deposited {
  constructor(
    readonly walletId: string,
    readonly amount: number,
  ) {}
}

class Deposit {
  constructor(
    readonly walletId: string,
    readonly amount: number,
  ) {}
}

const walletClass = (snapshotVersion: number) => {
  @Aggregate({ identity: 'walletId', prefix: 'wallet-', snapshotEvery: 10, snapshotVersion })
  class Wallet {
    total = 0;
    history: number[] = [];

    @Execute(Deposit)
    deposit({ walletId, amount }: Deposit) {
      return new Deposited(walletId, amount);
    }

    @Apply(Deposited)
    deposited({ amount }: Deposited) {
      this.total += amount;
      this.history.push(amount);
    }
  }
  return Wallet;
};

describe('snapshots', () => {
  const replay = async (store: InMemoryEventStore, Wallet: ReturnType<typeof walletClass>) => {
    const app = await createApp({ aggregates: [Wallet], options: { eventStore: store } });
    try {
      return (await app.get(AggregateReader).load(Wallet, 'w')).state;
    } finally {
      await app.close();
    }
  };

  it('rebuilds the same state from a snapshot plus later events as from a full replay', async () => {
    const store = new InMemoryEventStore();
    const Wallet = walletClass(1);
    const app = await createApp({ aggregates: [Wallet], options: { eventStore: store } });
    for (let i = 1; i <= 25; i++) await app.get(CommandGateway).dispatch(new Deposit('w', i));
    await app.close();
    await new Promise((resolve) => setImmediate(resolve));

    const snapshot = await store.readSnapshot('wallet-w');
    expect(snapshot).toMatchObject({ streamVersion: 20, snapshotType: 'Wallet', snapshotVersion: 1 });

    const fromSnapshot = await replay(store, Wallet);
    const readStream = store.readStream.bind(store);
    const reads: number[] = [];
    store.readStream = (id, options) => (reads.push(options?.fromVersion ?? 1), readStream(id, options));
    const fromSnapshotAgain = await replay(store, Wallet);
    expect(reads[0]).toBe(21);
    await store.deleteSnapshot('wallet-w');
    const fullReplay = await replay(store, Wallet);
    expect(fromSnapshot).toEqual(fullReplay);
    expect(fromSnapshotAgain).toEqual(fullReplay);
    expect(fullReplay.total).toBe((25 * 26) / 2);
  });

  it('ignores a snapshot of another shape version', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('wallet-w', 0, [{ eventId: randomUUID(), eventType: 'Deposited', data: { walletId: 'w', amount: 5 } }]);
    await store.saveSnapshot({
      streamId: 'wallet-w',
      streamVersion: 1,
      snapshotType: 'Wallet',
      snapshotVersion: 1,
      data: new TaggedStateCodec().encode({ total: 999, history: [] }),
    });
    expect((await replay(store, walletClass(1))).total).toBe(999);
    expect((await replay(store, walletClass(2))).total).toBe(5);
  });

  it('reports an aggregate without events as not found', async () => {
    const error = await failure(replay(new InMemoryEventStore(), walletClass(1)));
    expect(isAggregateNotFound(error)).toBe(true);
    expect(error.message).toMatch(/'wallet-w' has no events/);
  });
});

describe('event store injection', () => {
  it('exposes the configured store through the EventStore token', async () => {
    const store = new InMemoryEventStore();
    const app = await createApp({ aggregates: [Counter], options: { eventStore: store } });
    expect(app.get(EventStore)).toBe(store);
    await app.get(CommandGateway).dispatch(new Increment('z'));
    const [event] = await store.readStream('counter-z');
    expect(event).toMatchObject({ eventType: 'Incremented', data: { counterId: 'z', by: 1 }, streamVersion: 1 });
    await app.close();
  });

  it('stores events as registered classes and revives them as instances', async () => {
    const app = await createApp({ aggregates: [Counter] });
    const events = await app.get(CommandGateway).dispatch<object[]>(new IncrementTwice('e'), { returning: 'events' });
    expect(events).toEqual([new Incremented('e', 1), new Incremented('e', 1)]);
    expect(events[0]).toBeInstanceOf(Incremented);
    await app.close();
  });
});

@DomainEvent('Named', { version: 2 })
class Named {
  constructor(
    readonly personId: string,
    readonly first: string,
    readonly last: string,
  ) {}
}

class Rename {
  constructor(readonly personId: string) {}
}

@Aggregate({ identity: 'personId', prefix: 'person-' })
class Person {
  names: string[] = [];

  @Execute(Rename)
  rename() {
    return [];
  }

  @Apply(Named)
  named({ first, last }: Named) {
    this.names.push(`${first} ${last}`);
  }
}

@Projector({ name: 'people' })
class People {
  readonly seen: Named[] = [];

  @On(Named)
  named(event: Named) {
    this.seen.push(event);
  }
}

describe('upcasters', () => {
  it('lift old stored events on every read path', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('person-p', 0, [
      { eventId: randomUUID(), eventType: 'Named', data: { personId: 'p', name: 'Ada Lovelace' }, metadata: { schemaVersion: 1 } },
      { eventId: randomUUID(), eventType: 'Named', data: { personId: 'p', first: 'Grace', last: 'Hopper' }, metadata: { schemaVersion: 2 } },
    ]);
    const app = await createApp({
      aggregates: [Person],
      providers: [People],
      options: {
        eventStore: store,
        upcasters: [
          {
            eventType: 'Named',
            fromVersion: 1,
            upcast: ({ name, ...rest }) => {
              const [first, last] = String(name).split(' ');
              return { ...rest, first, last };
            },
          },
        ],
      },
    });
    const state = await app.get(CommandGateway).dispatch<Person>(new Rename('p'), { returning: 'aggregateState' });
    expect(state.names).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect((await app.get(AggregateReader).load(Person, 'p')).state.names).toEqual(['Ada Lovelace', 'Grace Hopper']);
    const people = app.get(People);
    await eventually(() => expect(people.seen).toHaveLength(2));
    expect(people.seen).toEqual([new Named('p', 'Ada', 'Lovelace'), new Named('p', 'Grace', 'Hopper')]);
    await app.close();
  });
});
