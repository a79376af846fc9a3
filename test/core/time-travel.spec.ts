import type { INestApplication, Type } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type AggregateAt,
  AggregateReader,
  CommandGateway,
  type EventStore,
  isAggregateNotFound,
  isInvalidOptions,
  isStreamDeleted,
  isStreamTruncated,
  isVersionNotReached,
} from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Add, Peek, Tally, ReusableTally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

/** Lets the store's clock move on, so the next event is recorded at a later millisecond. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 5));
const sum = (upTo: number) => (upTo * (upTo + 1)) / 2;

describe.each(SHARED_STORES)('loading an aggregate as it was (time travel) on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  let store: EventStore;
  let apps: INestApplication[];
  let id: string;

  const boot = async (aggregate: typeof Tally | typeof ReusableTally = Tally) => {
    const app = await createApp({ aggregates: [aggregate], options: { eventStore: store } });
    apps.push(app);
    return app;
  };
  /** Adds 1, 2, ... `count`, each recorded at a later millisecond than the one before. */
  const addUpTo = async (app: INestApplication, count: number, from = 1) => {
    for (let by = from; by <= count; by++) {
      await nextMillisecond();
      await app.get(CommandGateway).dispatch(new Add(id, by));
    }
  };
  const load = (app: INestApplication, at?: AggregateAt, type: Type<{ total: number }> = Tally) => app.get(AggregateReader).load(type, id, { at });
  const timeOf = async (version: number) => (await store.readStream(`tally-${id}`, { fromVersion: version, maxCount: 1 }))[0].createdAt;
  const snapshotAt = (version: number) =>
    eventually(async () => expect((await store.readSnapshot(`tally-${id}`))?.streamVersion).toBe(version)).then(() =>
      store.readSnapshot(`tally-${id}`),
    );

  beforeAll(async () => {
    shared = await sharedStore();
    store = await shared.open();
  });
  afterAll(() => shared.close());
  beforeEach(() => {
    apps = [];
    id = randomUUID();
  });
  afterEach(() => Promise.all(apps.map((app) => app.close())));

  it('loads a version while the live instance is further on, which it leaves as it is', async () => {
    const app = await boot();
    await addUpTo(app, 10);
    const snapshot = await snapshotAt(9);
    expect(await load(app, { version: 3 })).toEqual({ state: expect.objectContaining({ total: sum(3) }), version: 3 });
    expect(await load(app, { version: 10 })).toEqual({ state: expect.objectContaining({ total: sum(10) }), version: 10 });
    expect(await app.get(CommandGateway).dispatch(new Peek(id), { returning: 'aggregateVersion' })).toBe(10);
    expect(await app.get(CommandGateway).dispatch(new Add(id, 11), { returning: 'aggregateVersion' })).toBe(11);
    expect(await load(app)).toEqual({ state: expect.objectContaining({ total: sum(11) }), version: 11 });
    expect(await store.readSnapshot(`tally-${id}`)).toEqual(snapshot);
  });

  it('starts from the snapshot only when it is at or below the version asked for, else replays from the first event', async () => {
    const app = await boot();
    await addUpTo(app, 4);
    const real = (await snapshotAt(3))!;
    // A snapshot that disagrees with the events shows whether a load started from it.
    await store.saveSnapshot({ ...real, data: { ...real.data, total: 1000 } });
    expect((await load(app, { version: 2 })).state.total).toBe(sum(2));
    expect((await load(app, { version: 3 })).state.total).toBe(1000);
    expect((await load(app, { version: 4 })).state.total).toBe(1004);
    const [second, fourth] = [await timeOf(2), await timeOf(4)];
    expect(await load(app, { time: second })).toEqual({ state: expect.objectContaining({ total: sum(2) }), version: 2 });
    expect(await load(app, { time: fourth })).toEqual({ state: expect.objectContaining({ total: 1004 }), version: 4 });
  });

  it('loads as of a time, inclusive to the millisecond of the store clock, up to now and beyond', async () => {
    const app = await boot();
    await addUpTo(app, 3);
    const [first, second, third] = [await timeOf(1), await timeOf(2), await timeOf(3)];
    expect((await load(app, { time: first })).version).toBe(1);
    expect(await load(app, { time: new Date(second.getTime() - 1) })).toEqual({ state: expect.objectContaining({ total: 1 }), version: 1 });
    expect(await load(app, { time: second })).toEqual({ state: expect.objectContaining({ total: 3 }), version: 2 });
    expect((await load(app, { time: third })).version).toBe(3);
    expect((await load(app, { time: new Date(third.getTime() + 3_600_000) })).version).toBe(3);
    const before = await failure(load(app, { time: new Date(first.getTime() - 1) }));
    expect(isAggregateNotFound(before)).toBe(true);
    expect(before.message).toContain(`its first was recorded at ${first.toISOString()}`);
  });

  it('refuses a version past the stream, a malformed point and an unknown aggregate with typed errors', async () => {
    const app = await boot();
    await addUpTo(app, 2);
    const past = await failure(load(app, { version: 3 }));
    expect(isVersionNotReached(past)).toBe(true);
    expect(past).toMatchObject({ streamId: `tally-${id}`, requested: 3, version: 2 });
    for (const at of [{ version: 0 }, { version: -1 }, { version: 1.5 }, { version: '2' }, { time: new Date('soon') }, { time: '2026-01-01' }, {}]) {
      expect(isInvalidOptions(await failure(load(app, at as AggregateAt)))).toBe(true);
    }
    expect(isInvalidOptions(await failure(load(app, { version: 1, time: new Date() } as never)))).toBe(true);
    id = randomUUID();
    expect(isAggregateNotFound(await failure(load(app, { version: 1 })))).toBe(true);
    expect(isAggregateNotFound(await failure(load(app, { time: new Date() })))).toBe(true);
    expect(await store.streamVersion(`tally-${id}`)).toBe(0);
  });

  it('loads by stream id for operator tools, naming the aggregate', async () => {
    const app = await boot();
    await addUpTo(app, 2);
    expect(await app.get(AggregateReader).loadStream(`tally-${id}`, { at: { version: 1 } })).toEqual({
      aggregate: 'Tally',
      state: expect.objectContaining({ total: 1 }),
      version: 1,
    });
    expect(isInvalidOptions(await failure(app.get(AggregateReader).loadStream(`account-${id}`)))).toBe(true);
    expect(isInvalidOptions(await failure(app.get(AggregateReader).loadStream(`tally-${id}`, { aggregate: 'Account' })))).toBe(true);
  });

  it('on a truncated stream, loads from the snapshot on, and refuses the states whose events are gone', async () => {
    const app = await boot();
    await addUpTo(app, 6);
    const snapshot = (await snapshotAt(6))!;
    const second = await timeOf(2);
    await addUpTo(app, 7, 7);
    await store.truncateStream(`tally-${id}`, 7);
    const fresh = await boot();
    expect(await load(fresh, { version: 7 })).toEqual({ state: expect.objectContaining({ total: sum(7) }), version: 7 });
    expect(await load(fresh, { version: 6 })).toEqual({ state: expect.objectContaining({ total: sum(6) }), version: 6 });
    const gone = await failure(load(fresh, { version: 5 }));
    expect(isStreamTruncated(gone)).toBe(true);
    expect(gone).toMatchObject({ firstVersion: 7 });
    expect(gone.message).toContain('its snapshot holds version 6, past version 5');
    // Every event the snapshot covers was recorded before it was saved: it is the state at its own time.
    expect(await load(fresh, { time: snapshot.createdAt! })).toEqual({ state: expect.objectContaining({ total: sum(6) }), version: 6 });
    const earlier = await failure(load(fresh, { time: second }));
    expect(isStreamTruncated(earlier)).toBe(true);
    expect(earlier.message).toContain(second.toISOString());
  });

  it('loads a deleted stream as it was before its deletion, and refuses it from the tombstone on', async () => {
    const app = await boot();
    await addUpTo(app, 3);
    await nextMillisecond();
    const { version } = await store.deleteStream(`tally-${id}`);
    expect(await load(app, { version: 3 })).toEqual({ state: expect.objectContaining({ total: sum(3) }), version: 3 });
    expect(await load(app, { time: await timeOf(3) })).toEqual({ state: expect.objectContaining({ total: sum(3) }), version: 3 });
    for (const at of [{ version }, { time: await timeOf(version) }, undefined]) {
      const deleted = await failure(load(app, at));
      expect(isStreamDeleted(deleted)).toBe(true);
      expect(deleted).toMatchObject({ streamId: `tally-${id}`, version });
    }
  });

  it('refuses the states a hard delete removed, and loads a re-created stream from its tombstone on', async () => {
    const app = await boot(ReusableTally);
    await addUpTo(app, 2);
    const first = await timeOf(1);
    await store.deleteStream(`tally-${id}`, { hard: true });
    await app.get(CommandGateway).dispatch(new Add(id, 10));
    for (const at of [{ version: 1 }, { time: first }, { version: 3 }]) {
      const gone = await failure(load(app, at, ReusableTally));
      expect(isStreamDeleted(gone)).toBe(true);
      expect(gone).toMatchObject({ version: 3 });
    }
    expect(await load(app, { version: 4 }, ReusableTally)).toEqual({ state: expect.objectContaining({ total: 10 }), version: 4 });
    expect(await load(app, undefined, ReusableTally)).toEqual({ state: expect.objectContaining({ total: 10 }), version: 4 });
  });
});
