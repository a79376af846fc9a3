import type { INestApplication } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AggregateReader,
  CommandGateway,
  type EventContext,
  type EventStore,
  isStreamDeleted,
  isStreamTruncated,
  On,
  Projector,
  StreamDeleted,
} from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Add, Tally, ReusableTally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

/** Hears every tombstone. */
@Injectable()
@Projector({ name: 'deletions' })
class Deletions {
  readonly seen: Array<[string, number]> = [];

  @On(StreamDeleted)
  deleted(event: StreamDeleted, context: EventContext) {
    this.seen.push([event.streamId, context.streamVersion]);
  }
}

describe.each(SHARED_STORES)('deleted and truncated streams on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  let store: EventStore;
  let apps: INestApplication[];
  let id: string;

  const boot = async (aggregate: typeof Tally | typeof ReusableTally = Tally) => {
    const app = await createApp({ aggregates: [aggregate], providers: [Deletions], options: { eventStore: store } });
    apps.push(app);
    return app;
  };
  const add = (app: INestApplication, by: number) => app.get(CommandGateway).dispatch(new Add(id, by), { returning: 'aggregateVersion' });
  const read = <T extends object>(app: INestApplication, type: new () => T) => app.get(AggregateReader).load(type, id);

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

  it('refuses commands to a deleted stream, live or loaded afresh, storing nothing; subscriptions hear the tombstone', async () => {
    const app = await boot();
    for (const by of [1, 2]) await add(app, by);
    await store.deleteStream(`tally-${id}`);
    const live = await failure(add(app, 5));
    expect(isStreamDeleted(live)).toBe(true);
    expect(live).toMatchObject({ streamId: `tally-${id}`, version: 3 });
    expect(isStreamDeleted(await failure(add(await boot(), 5)))).toBe(true);
    expect(isStreamDeleted(await failure(read(app, Tally)))).toBe(true);
    expect(await store.streamVersion(`tally-${id}`)).toBe(3);
    await eventually(() => expect(app.get(Deletions).seen).toContainEqual([`tally-${id}`, 3]));
  });

  it('re-creates a deleted stream after its tombstone when the aggregate allows it, from a fresh state', async () => {
    const app = await boot(ReusableTally);
    for (const by of [1, 2, 3, 4]) await add(app, by);
    await store.deleteStream(`tally-${id}`, { hard: true });
    expect(isStreamDeleted(await failure(read(app, ReusableTally)))).toBe(true);
    expect(await add(app, 10)).toBe(6);
    expect(await add(await boot(ReusableTally), 20)).toBe(7);
    expect(await read(await boot(ReusableTally), ReusableTally)).toEqual({ state: expect.objectContaining({ total: 30 }), version: 7 });
  });

  it('loads a truncated stream from its snapshot and the events after it', async () => {
    const app = await boot();
    for (const by of [1, 2, 3, 4, 5, 6, 7]) await add(app, by);
    await eventually(async () => expect((await store.readSnapshot(`tally-${id}`))?.streamVersion).toBe(6));
    expect(await store.truncateStream(`tally-${id}`, 7)).toMatchObject({ removed: 6 });
    expect(await read(await boot(), Tally)).toEqual({ state: expect.objectContaining({ total: 28 }), version: 7 });
    expect(await add(await boot(), 100)).toBe(8);
  });

  it('refuses to load a truncated stream whose snapshot is gone or passed over, saying why', async () => {
    const app = await boot();
    for (const by of [1, 2, 3, 4]) await add(app, by);
    await eventually(async () => expect((await store.readSnapshot(`tally-${id}`))?.streamVersion).toBe(3));
    await store.truncateStream(`tally-${id}`, 4);
    const snapshot = (await store.readSnapshot(`tally-${id}`))!;
    await store.saveSnapshot({ ...snapshot, snapshotVersion: 9 });
    const passedOver = await failure(read(await boot(), Tally));
    expect(isStreamTruncated(passedOver)).toBe(true);
    expect(passedOver.message).toMatch(/before version 4 are gone and its snapshot \(Tally, shape version 9\) is passed over/);
    await store.deleteSnapshot(`tally-${id}`);
    const missing = await failure(add(await boot(), 1));
    expect(isStreamTruncated(missing)).toBe(true);
    expect(missing.message).toMatch(/it has no snapshot/);
    expect(await store.streamVersion(`tally-${id}`)).toBe(4);
  });
});
