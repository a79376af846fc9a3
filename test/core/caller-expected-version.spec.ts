import type { INestApplication } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CommandGateway,
  type DispatchOptions,
  type EventContext,
  EventStore,
  EventHandler,
  type ExpectedVersion,
  isInvalidOptions,
  isStreamDeleted,
  isWrongExpectedVersion,
  NO_STREAM,
  On,
  STREAM_EXISTS,
  ANY,
} from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Add, Added, ReusableTally, Tally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

/** On each addition to a `src-` tally, creates its `dst-` tally, expecting it to have no events; keeps what each dispatch gave. */
@Injectable()
@EventHandler({ name: 'creates-copies' })
class CreatesCopies {
  readonly outcomes: unknown[] = [];

  @On(Added)
  async copy({ tallyId, by }: Added, context: EventContext) {
    if (!tallyId.startsWith('src-')) return;
    const copy = new Add(tallyId.replace(/^src-/, 'dst-'), by);
    this.outcomes.push(await context.dispatch(copy, { expectedVersion: NO_STREAM, returning: 'aggregateVersion' }).catch((error: unknown) => error));
  }
}

/** A promise and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe.each(SHARED_STORES)('a version expected by the caller, on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  let apps: INestApplication[];
  let id: string;

  /** One application: on PostgreSQL a node of its own (own pool), elsewhere another application on the same store; no pubsub between them. */
  const boot = async (aggregate: typeof Tally | typeof ReusableTally = Tally, providers: Array<typeof CreatesCopies> = [], maxAttempts?: number) => {
    const app = await createApp({
      aggregates: [aggregate],
      providers,
      options: { eventStore: await shared.open(), ...(maxAttempts && { commands: { maxAttempts } }) },
    });
    apps.push(app);
    return app;
  };
  const add = (app: INestApplication, by: number, expectedVersion?: ExpectedVersion, options: DispatchOptions = {}) =>
    app.get(CommandGateway).dispatch<number>(new Add(id, by), { returning: 'aggregateVersion', expectedVersion, ...options });
  const storeOf = (app: INestApplication) => app.get<EventStore>(EventStore);
  const stream = async (app: INestApplication) => (await storeOf(app).readStream(`tally-${id}`)).map((event) => event.data.by);

  beforeAll(async () => {
    shared = await sharedStore();
  });
  afterAll(() => shared.close());
  beforeEach(() => {
    apps = [];
    id = randomUUID();
    Tally.handled = 0;
    Tally.hold = undefined;
  });
  afterEach(() => Promise.all(apps.map((app) => app.close())));

  it('runs a command only where its caller expects the aggregate; otherwise refuses it with both versions, running and writing nothing', async () => {
    const app = await boot();
    expect(await add(app, 1, NO_STREAM)).toBe(1);
    expect(await add(app, 2, 1)).toBe(2);
    const head = await storeOf(app).headPosition();

    const stale = await failure(add(app, 3, 1));
    expect(isWrongExpectedVersion(stale)).toBe(true);
    expect(stale).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: `tally-${id}`, expected: 1, actual: 2 });
    expect(stale.message).toBe(
      `Command 'Add' expected 'tally-${id}' at version 1, but it is at version 2: nothing was written; read it again and decide anew`,
    );
    expect(await failure(add(app, 3, NO_STREAM))).toMatchObject({ expected: NO_STREAM, actual: 2 });
    expect(Tally.handled).toBe(2);
    expect(await storeOf(app).headPosition()).toBe(head);

    expect(await add(app, 3, STREAM_EXISTS)).toBe(3);
    expect(await add(app, 4, ANY)).toBe(4);
    expect(await add(app, 5, 4)).toBe(5);
    const other = randomUUID();
    const missing = await failure(app.get(CommandGateway).dispatch(new Add(other, 1), { expectedVersion: STREAM_EXISTS }));
    expect(missing).toMatchObject({ streamId: `tally-${other}`, expected: STREAM_EXISTS, actual: 0 });
    expect(await storeOf(app).streamVersion(`tally-${other}`)).toBe(0);
    expect(await stream(app)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses, without running it again, a command whose append loses to another node writing between its load and its append', async () => {
    // One attempt only: the refusal must come from the lost append itself, never from a retry.
    const [a, b] = [await boot(Tally, [], 1), await boot()];
    expect(await add(a, 1)).toBe(1);
    const entered = latch();
    const released = latch();
    Tally.hold = { entered: entered.open, released: released.promise };
    const refused = failure(add(a, 5, 1));
    await entered.promise;
    Tally.hold = undefined;
    expect(await add(b, 7)).toBe(2);
    released.open();

    expect(await refused).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expected: 1, actual: 2 });
    // Once for the first command, once for a's refused one (never again), once for b's.
    expect(Tally.handled).toBe(3);
    expect(await stream(a)).toEqual([1, 7]);
  });

  it('without an expectation, the same race ends with the command run again on the newer state and stored', async () => {
    const [a, b] = [await boot(), await boot()];
    expect(await add(a, 1)).toBe(1);
    const entered = latch();
    const released = latch();
    Tally.hold = { entered: entered.open, released: released.promise };
    const retried = add(a, 5);
    await entered.promise;
    Tally.hold = undefined;
    expect(await add(b, 7)).toBe(2);
    released.open();

    expect(await retried).toBe(3);
    expect(Tally.handled).toBe(4);
    expect(await stream(a)).toEqual([1, 7, 5]);
  });

  it('judges the expectation by the store, not by a live instance that trails it', async () => {
    const [a, b] = [await boot(), await boot()];
    expect(await add(a, 1)).toBe(1);
    expect(await add(b, 2)).toBe(2);
    // a's live instance is still at 1; its caller read version 2, which is right.
    expect(await add(a, 3, 2)).toBe(3);
    expect(await add(b, 4)).toBe(4);
    // a's instance says 3, the store 4: the append's own check refuses it, naming the stored version.
    expect(await failure(add(a, 5, 3))).toMatchObject({ expected: 3, actual: 4 });
    expect(await failure(add(a, 5, 2))).toMatchObject({ expected: 2, actual: 4 });
    expect(await add(a, 5, 4)).toBe(5);
    expect(await stream(b)).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers a repeated command id with its first outcome, though the version it expected has passed', async () => {
    const app = await boot();
    const commandId = `open-${id}`;
    expect(await add(app, 1, NO_STREAM, { commandId })).toBe(1);
    expect(await add(app, 1, NO_STREAM, { commandId })).toBe(1);
    expect(await add(await boot(), 1, NO_STREAM, { commandId })).toBe(1);
    expect(Tally.handled).toBe(1);
    expect(await stream(app)).toEqual([1]);
  });

  it('takes a deleted aggregate as having no events, at the tombstone’s version', async () => {
    const app = await boot();
    for (const by of [1, 2]) await add(app, by);
    await storeOf(app).deleteStream(`tally-${id}`);
    // A precondition is judged first, as HTTP does; one that holds meets the deletion's refusal.
    expect(await failure(add(app, 1, 2))).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expected: 2, actual: 3 });
    expect((await failure(add(app, 1, 2))).message).toMatch(/it is at version 3 \(deleted\)/);
    expect(isStreamDeleted(await failure(add(app, 1, 3)))).toBe(true);
    expect(isStreamDeleted(await failure(add(app, 1, NO_STREAM)))).toBe(true);

    const recreating = await boot(ReusableTally);
    expect(await failure(add(recreating, 1, STREAM_EXISTS))).toMatchObject({ expected: STREAM_EXISTS, actual: 3 });
    expect(await add(recreating, 10, NO_STREAM)).toBe(4);
    expect(await failure(add(recreating, 10, NO_STREAM))).toMatchObject({ expected: NO_STREAM, actual: 4 });
    expect(await add(recreating, 20, STREAM_EXISTS)).toBe(5);
  });

  it('gives the same option to handlers dispatching through their context', async () => {
    const app = await boot(Tally, [CreatesCopies]);
    id = `src-${randomUUID()}`;
    await add(app, 1);
    await add(app, 2);
    const copies = app.get(CreatesCopies);
    await eventually(() => expect(copies.outcomes).toHaveLength(2));
    expect(copies.outcomes[0]).toBe(1);
    expect(copies.outcomes[1]).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expected: NO_STREAM, actual: 1 });
    expect((await storeOf(app).readStream(id.replace(/^src-/, 'tally-dst-'))).map((event) => event.data.by)).toEqual([1]);
  });

  it('refuses a malformed expected version before anything runs', async () => {
    const app = await boot();
    for (const expectedVersion of [-1, 1.5, '3', 'W/"3"', null, 2 ** 31] as unknown as ExpectedVersion[]) {
      const error = await failure(add(app, 1, expectedVersion));
      expect(isInvalidOptions(error)).toBe(true);
      expect(error.message).toMatch(/'expectedVersion' must be a whole number from 0 to 2147483647 or one of 'any', 'no_stream', 'stream_exists'/);
    }
    expect(Tally.handled).toBe(0);
    expect(await storeOf(app).streamVersion(`tally-${id}`)).toBe(0);
  });
});
