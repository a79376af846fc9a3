import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AggregateManager } from '../../lib/aggregates/aggregate-manager.js';
import {
  AggregateReader,
  CommandGateway,
  EventStore,
  type ExecutionResult,
  isCommandTimeout,
  isDuplicateCommand,
  isInvalidCommand,
  isInvalidIdentifier,
  isInvalidOptions,
} from '../../lib/index.js';
import { eventually } from '../harness/eventually.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Add, Added, Peek, Tally } from '../fixtures/tally.js';

describe.each(SHARED_STORES)('idempotent commands on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  const apps: INestApplication[] = [];

  const boot = async (options = {}) => {
    const app = await createApp({ aggregates: [Tally], options: { eventStore: await shared.open(), ...options } });
    apps.push(app);
    return { app, gateway: app.get(CommandGateway), store: app.get<EventStore>(EventStore) };
  };
  const asResult = { returning: 'executionResult' } as const;
  const streamOf = async (store: EventStore, id: string) => (await store.readStream(`tally-${id}`)).map((e) => e.data.by);

  beforeAll(async () => {
    shared = await sharedStore();
  });
  afterAll(() => shared.close());
  beforeEach(() => {
    Tally.handled = 0;
    Tally.hold = undefined;
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('answers a command id after 40 more commands, snapshots and a restart with the original outcome', async () => {
    const id = randomUUID();
    const first = await boot();
    const original = await first.gateway.dispatch<ExecutionResult>(new Add(id, 5), { commandId: `deposit-${id}`, ...asResult });
    for (let i = 0; i < 40; i++) await first.gateway.dispatch(new Add(id, 1));
    await first.app.close();

    const restarted = await boot();
    expect(await restarted.store.readSnapshot(`tally-${id}`)).toBeDefined();
    const again = await restarted.gateway.dispatch<ExecutionResult>(new Add(id, 5), { commandId: `deposit-${id}`, ...asResult });
    expect(again).toMatchObject({ aggregateVersion: 1, globalPosition: original.globalPosition, events: [new Added(id, 5)] });
    expect(again.events[0]).toBeInstanceOf(Added);
    // aggregateState is the state now, not as it was then.
    expect(again.aggregateState).toMatchObject({ total: 45 });
    expect(Tally.handled).toBe(41);
    expect(await streamOf(restarted.store, id)).toHaveLength(41);
  });

  it('answers a command id after its instance was evicted', async () => {
    const id = randomUUID();
    const { app, gateway, store } = await boot({ aggregates: { idleTimeout: 100 } });
    const original = await gateway.dispatch<ExecutionResult>(new Add(id, 3), { commandId: `c-${id}`, ...asResult });
    await eventually(() => expect(app.get(AggregateManager).peek(`tally-${id}`)).toBeUndefined());
    const again = await gateway.dispatch<ExecutionResult>(new Add(id, 3), { commandId: `c-${id}`, ...asResult });
    expect(again).toMatchObject({ aggregateVersion: 1, globalPosition: original.globalPosition });
    expect(await streamOf(store, id)).toEqual([3]);
    expect(Tally.handled).toBe(1);
  });

  it('runs one command id once when two applications on one store dispatch it at the same moment', async () => {
    const [one, two] = [await boot(), await boot()];
    for (let round = 0; round < 5; round++) {
      const id = randomUUID();
      const send = (gateway: CommandGateway) => gateway.dispatch<ExecutionResult>(new Add(id, 7, 20), { commandId: `twin-${id}`, ...asResult });
      const [a, b] = await Promise.all([send(one.gateway), send(two.gateway)]);
      expect(await streamOf(one.store, id)).toEqual([7]);
      for (const result of [a, b])
        expect(result).toMatchObject({ aggregateVersion: 1, globalPosition: a.globalPosition, events: [new Added(id, 7)] });
    }
  });

  it('refuses another command under a used id with DuplicateCommandError, writing nothing', async () => {
    const [id, other] = [randomUUID(), randomUUID()];
    const { gateway, store } = await boot();
    await gateway.dispatch(new Add(id, 1), { commandId: `used-${id}` });
    const head = await store.headPosition();
    const differentPayload = await failure(gateway.dispatch(new Add(id, 2), { commandId: `used-${id}` }));
    const differentAggregate = await failure(gateway.dispatch(new Add(other, 1), { commandId: `used-${id}` }));
    for (const error of [differentPayload, differentAggregate]) {
      expect(isDuplicateCommand(error)).toBe(true);
      expect(error.code).toBe('DUPLICATE_COMMAND');
      expect(error.message).toMatch(/new command id/);
    }
    expect(differentPayload.message).toMatch(/different payload/);
    expect(differentAggregate.message).toMatch(new RegExp(`tally-${id}`));
    expect(await store.headPosition()).toBe(head);
    expect(Tally.handled).toBe(1);
  });

  it('answers the retry of a command that timed out after its append with the original outcome', async () => {
    const id = randomUUID();
    const { gateway, store } = await boot();
    const command = new Add(id, 9);
    // The instance is loaded first, so the dispatch below reaches its handler at once, long before its timeout.
    await gateway.dispatch(new Peek(id));
    let [entered, release] = [() => {}, () => {}];
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    Tally.hold = { entered, released: new Promise<void>((resolve) => (release = resolve)) };
    const dispatched = failure(gateway.dispatch(command, { commandId: `slow-${id}`, timeout: 1000 }));
    await handlerEntered;
    // The handler decides, and the events are appended, only after the caller was told of the timeout.
    expect(isCommandTimeout(await dispatched)).toBe(true);
    expect(await store.readCommand(`slow-${id}`)).toBeUndefined();
    Tally.hold = undefined;
    release();
    await eventually(async () => expect(await store.readCommand(`slow-${id}`)).toBeDefined());
    const retried = await gateway.dispatch<ExecutionResult>(command, { commandId: `slow-${id}`, ...asResult });
    expect(retried).toMatchObject({ aggregateVersion: 1, events: [new Added(id, 9)] });
    expect(await streamOf(store, id)).toEqual([9]);
    expect(Tally.handled).toBe(1);
  });

  it('records a command with an id that produced events; none without an id, whose new id no one holds, nor one that produced nothing', async () => {
    const id = randomUUID();
    const { gateway, store } = await boot();
    const result = await gateway.dispatch<ExecutionResult>(new Add(id, 1), { commandId: `add-${id}`, ...asResult });
    await gateway.dispatch(new Add(id, 2));
    const withoutEvents = await gateway.dispatch<ExecutionResult>(new Peek(id), { commandId: `peek-${id}`, ...asResult });
    expect(withoutEvents.events).toEqual([]);
    expect(await store.readCommand(`peek-${id}`)).toBeUndefined();
    expect(await store.readCommand(`add-${id}`)).toMatchObject({
      streamId: `tally-${id}`,
      commandType: 'Add',
      lastVersion: 1,
      globalPosition: result.globalPosition,
    });
    const [, withoutId] = await store.readStream(`tally-${id}`);
    expect(withoutId.data.by).toBe(2);
    expect(await store.readCommand(withoutId.metadata.commandId as string)).toBeUndefined();
  });

  it('prunes records older than commands.idempotencyRetention on a timer', async () => {
    const id = randomUUID();
    const { gateway, store } = await boot({ commands: { idempotencyRetention: 200 } });
    await gateway.dispatch(new Add(id, 1), { commandId: `short-${id}` });
    expect(await store.readCommand(`short-${id}`)).toBeDefined();
    await eventually(async () => expect(await store.readCommand(`short-${id}`)).toBeUndefined());
    expect(await streamOf(store, id)).toEqual([1]);
  });

  it('refuses identities and command ids the store cannot hold before anything is written', async () => {
    const { app, gateway, store } = await boot();
    const head = await store.headPosition();
    for (const identity of ['a\u0000b', 'x'.repeat(600), 'lone\ud800']) {
      const error = await failure(gateway.dispatch(new Add(identity, 1)));
      expect(isInvalidCommand(error)).toBe(true);
      expect(error.message).toMatch(/'tallyId' .* cannot name an aggregate: its stream id/);
      expect(isInvalidIdentifier(await failure(app.get(AggregateReader).load(Tally, identity)))).toBe(true);
    }
    expect(isInvalidOptions(await failure(gateway.dispatch(new Add('ok', 1), { commandId: 'id\u0000' })))).toBe(true);
    expect(isInvalidOptions(await failure(gateway.dispatch(new Add('ok', 1), { correlationId: 'c\u0000' })))).toBe(true);
    expect(Tally.handled).toBe(0);
    expect(await store.headPosition()).toBe(head);
  });
});
