import { isBooksNotCovered } from '../../lib/errors/books-not-covered.error.js';
import { isDuplicateCommand } from '../../lib/errors/duplicate-command.error.js';
import { isDuplicateEvent } from '../../lib/errors/duplicate-event.error.js';
import { isConfigurationError } from '../../lib/errors/configuration.error.js';
import { isInvalidOptions } from '../../lib/errors/invalid-options.error.js';
import { events, newEvent, rejection } from '../../lib/event-store/conformance/conformance-events.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { IMMUTABLE_EVENT_SQLSTATE } from '../../lib/event-store/sql/sql-states.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { readExactly } from './fixtures/read-past-gaps.js';

const RANGE_SIZE = 4;

const positions = (recorded: RecordedEvent[]) => recorded.map((event) => event.globalPosition);

describe('PostgreSQL store partitioned by global position', () => {
  let schema: TestSchema;
  const stores: PostgresEventStore[] = [];
  const open = async (partitioning?: { rangeSize?: number }) => {
    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4, partitioning });
    stores.push(store);
    await store.init();
    return store;
  };
  const sql = async <R>(text: string, params: unknown[] = []) => (await withClient((client) => client.query(text, params))).rows as R[];
  const partitions = () =>
    sql<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`,
      [`"${schema.name}".events`],
    ).then((rows) => rows.map((row) => row.name));
  const isPartitioned = async () =>
    (await sql<{ kind: string }>(`SELECT relkind::text AS kind FROM pg_class WHERE oid = $1::regclass`, [`"${schema.name}".events`]))[0].kind === 'p';

  beforeEach(async () => {
    schema = await testSchema('es_part');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema.name}_archive" CASCADE`));
    await schema.drop();
  });

  it('lays a new store out as ranges created ahead of the appends, and refuses a malformed range size', async () => {
    const store = await open({ rangeSize: RANGE_SIZE });
    expect(await isPartitioned()).toBe(true);
    for (let i = 0; i < 5; i++) await store.appendToStream(`s-${i}`, ANY, events(3));
    expect((await partitions()).length).toBeGreaterThanOrEqual(16 / RANGE_SIZE);
    expect(positions(await collect(store.iterateAll(0)))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(() => new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, partitioning: { rangeSize: 1 } })).toThrow(
      /partitioning.rangeSize' must be a whole number of positions of at least 2/,
    );
    try {
      new PostgresEventStore({ connectionString: TEST_DATABASE_URL, partitioning: { rangeSize: 2.5 } });
    } catch (error) {
      expect(isInvalidOptions(error)).toBe(true);
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the parent and on every partition', async () => {
    const store = await open({ rangeSize: RANGE_SIZE });
    await store.appendToStream('s', ANY, events(9));
    const tables = ['events', ...(await partitions())];
    expect(tables.length).toBeGreaterThan(3);
    for (const table of tables) {
      const name = `"${schema.name}"."${table}"`;
      const [{ rows }] = await sql<{ rows: number }>(`SELECT count(*)::int AS rows FROM ${name}`);
      // Row triggers fire per row: on a partition still empty, UPDATE and DELETE have nothing to refuse.
      const statements = rows ? [`UPDATE ${name} SET event_type = 'x'`, `DELETE FROM ${name}`, `TRUNCATE ${name}`] : [`TRUNCATE ${name}`];
      for (const statement of statements) expect(await rejection(sql(statement))).toMatchObject({ code: IMMUTABLE_EVENT_SQLSTATE });
    }
    expect(await store.streamVersion('s')).toBe(9);
  });

  it('keeps stream versions unique when appends from two nodes race across partition boundaries', async () => {
    const [one, two] = [await open({ rangeSize: RANGE_SIZE }), await open({ rangeSize: RANGE_SIZE })];
    const appends = Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).appendToStream('hot', ANY, events((i % 3) + 1)));
    const results = await Promise.all(appends);
    const total = results.reduce((sum, result) => sum + result.events.length, 0);
    const stored = await one.readStream('hot');
    expect(stored.map((event) => event.streamVersion)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const byPosition = [...stored].sort((a, b) => a.globalPosition - b.globalPosition);
    expect(byPosition.map((event) => event.streamVersion)).toEqual(stored.map((event) => event.streamVersion));
    expect((await partitions()).length).toBeGreaterThan(total / RANGE_SIZE);
  });

  it('reads all events gapless across a partition boundary while an append below it is in flight', async () => {
    const store = await open({ rangeSize: RANGE_SIZE });
    await store.appendToStream('a', ANY, events(2));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const inFlight = new Promise<void>((resolve) => (appended = resolve));
    const slow = store.appendToStream('slow', ANY, events(1), { inTransaction: () => (appended(), held) });
    await inFlight;
    const later = await store.appendToStream('b', ANY, events(2));
    expect(positions(later.events)).toEqual([4, 5]);
    const reader = store.openAllReader(0);
    expect(positions(await reader.next(10))).toEqual([1, 2]);
    expect(await reader.next(10)).toEqual([]);
    release();
    expect((await slow).globalPosition).toBe(3);
    expect(positions(await reader.next(10))).toEqual([3, 4, 5]);
  });

  it('refuses a stored event id within its partition', async () => {
    const store = await open({ rangeSize: RANGE_SIZE });
    await store.appendToStream('filler', ANY, events(3));
    // Position 4: the first partition created as a range ([4, 8)), not the table the store began with.
    const stored = newEvent();
    expect((await store.appendToStream('first', ANY, [stored])).globalPosition).toBe(4);
    expect(isDuplicateEvent(await rejection(store.appendToStream('second', ANY, [newEvent(), { ...newEvent(), eventId: stored.eventId }])))).toBe(
      true,
    );
    expect(await store.streamVersion('second')).toBe(0);
  });

  it('counts the positions refused appends drew, so the next append finds its range made instead of leaving another gap', async () => {
    const store = await open({ rangeSize: RANGE_SIZE });
    const command = { commandId: 'cmd-1', commandType: 'Deposit', payloadHash: 'hash-1' };
    await store.appendToStream('first', ANY, events(1), { command });
    // The recorded command id refuses each append once its events have drawn their positions: 2–3, then 4–6.
    for (const count of [2, 3]) {
      expect(isDuplicateCommand(await rejection(store.appendToStream('second', ANY, events(count), { command })))).toBe(true);
    }
    // Positions 7 and 8 straddle the end of the ranges laid out at start-up ([0, 4), [4, 8)).
    expect(positions((await store.appendToStream('second', ANY, events(2))).events)).toEqual([7, 8]);
    // Crossing the dead gap 2–6 waits for older transactions anywhere on the server to end.
    expect(positions(await readExactly(store.openAllReader(0), 3))).toEqual([1, 7, 8]);
  });

  it('converts a store holding events in place; reads, appends and readers go on unchanged, also on a node started before', async () => {
    const plain = await open();
    for (let i = 0; i < 6; i++) await plain.appendToStream(`s-${i % 3}`, ANY, events(2));
    const before = await collect(plain.iterateAll(0));
    const lease = (await plain.acquireSubscription('projection'))!;
    await lease.transaction(5, async () => undefined);
    await lease.release();

    const dry = await plain.partitionEvents(RANGE_SIZE, true);
    expect(dry).toMatchObject({ alreadyPartitioned: false, lastPosition: 12, firstBoundary: 16, events: 12 });
    expect(await isPartitioned()).toBe(false);
    const plan = await plain.partitionEvents(RANGE_SIZE);
    expect(plan.firstBoundary).toBe(16);
    expect(await isPartitioned()).toBe(true);
    expect(await partitions()).toEqual(['events_p0', 'events_p16']);

    expect(await collect(plain.iterateAll(0))).toEqual(before);
    expect(await plain.readStream('s-1')).toEqual(before.filter((event) => event.streamId === 's-1'));
    expect(await plain.readCheckpoint('projection')).toBe(5);
    const reader = plain.openAllReader(5);
    expect(positions(await reader.next(100))).toEqual([6, 7, 8, 9, 10, 11, 12]);
    // This node opened the store before it was partitioned: it learns the layout from the first append past the ranges.
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await plain.appendToStream('s-1', ANY, events(2)));
    expect(results.map((result) => result.streamVersion)).toEqual([6, 8, 10, 12, 14, 16, 18, 20]);
    // Its append that met the end was refused whole and sent again: its first positions are a gap, which readers cross.
    expect(positions(await readExactly(reader, 16))).toEqual(positions(results.flatMap((result) => result.events)));
    for (const statement of [
      `DELETE FROM "${schema.name}".events_p0`,
      `TRUNCATE "${schema.name}".events_p0`,
      `TRUNCATE "${schema.name}".events_p16`,
    ]) {
      expect(await rejection(sql(statement))).toMatchObject({ code: IMMUTABLE_EVENT_SQLSTATE });
    }
    expect(await plain.partitionEvents(RANGE_SIZE)).toMatchObject({ alreadyPartitioned: true });
  });

  it('refuses the option on a store that holds events in one table, naming the conversion', async () => {
    const plain = await open();
    await plain.appendToStream('s', ANY, events(1));
    const error = await rejection(open({ rangeSize: RANGE_SIZE }));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('nestjs-event-sourcing partition-events');
    expect(await isPartitioned()).toBe(false);
  });

  describe('closing the books', () => {
    let store: PostgresEventStore;
    beforeEach(async () => {
      store = await open({ rangeSize: RANGE_SIZE });
      // Positions 1-3 'a', 4-5 'b', 6-7 'a', 8-9 'gone', 10-11 'a', 12-13 'b'.
      for (const [stream, count] of [
        ['a', 3],
        ['b', 2],
        ['a', 2],
        ['gone', 2],
        ['a', 2],
        ['b', 2],
      ] as const) {
        await store.appendToStream(stream, ANY, events(count));
      }
    });
    const snapshot = (streamId: string, streamVersion: number) =>
      store.saveSnapshot({ streamId, streamVersion, snapshotType: 'State', snapshotVersion: 1, data: { streamVersion } });

    it('refuses, detaching nothing, while a stream with events below the cut has no covering snapshot', async () => {
      await snapshot('a', 4);
      const error = await rejection(store.closeBooks(10));
      expect(isBooksNotCovered(error)).toBe(true);
      expect(error).toMatchObject({ before: 8, streams: ['a', 'b'], uncovered: 2 });
      expect(await partitions()).toContain('events_p0');
      expect(await store.booksClosedBefore()).toBe(0);
      expect(positions(await collect(store.iterateAll(0)))).toHaveLength(13);
    });

    it('archives whole partitions below the cut; aggregates load from snapshots and append on; readers start at the cut', async () => {
      await snapshot('a', 7);
      await snapshot('b', 2);
      await snapshot('gone', 2);
      expect(await store.closeBooks(10, { dryRun: true })).toMatchObject({ before: 8, dryRun: true, partitions: [{ lower: 0 }, { lower: 4 }] });
      expect(await store.booksClosedBefore()).toBe(0);

      const closed = await store.closeBooks(new Date(Date.now() + 60_000));
      expect(closed).toMatchObject({
        before: 12,
        archiveSchema: `${schema.name}_archive`,
        partitions: [{ name: 'events_p0' }, { name: 'events_p4' }, { name: 'events_p8' }],
      });
      expect(await store.booksClosedBefore()).toBe(12);
      expect(await partitions()).not.toContain('events_p8');
      const archived = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema.name}_archive".events_p0`);
      expect(archived).toEqual([{ n: 3 }]);

      // Snapshot + the events after it, as an aggregate loads; then the next append.
      expect((await store.readStream('b', { fromVersion: 3 })).map((event) => event.globalPosition)).toEqual([12, 13]);
      expect(await store.streamVersion('gone')).toBe(2);
      expect((await store.appendToStream('gone', 2, events(1))).streamVersion).toBe(3);
      expect((await store.appendToStream('a', 7, events(1))).streamVersion).toBe(8);
      expect((await store.readStream('a')).map((event) => event.streamVersion)).toEqual([8]);

      expect(positions(await store.openAllReader(0).next(3))).toEqual([12, 13, 14]);
      expect(positions(await collect(store.iterateAll(5)))).toEqual([12, 13, 14, 15]);
      expect(positions(await store.openAllReader(0, { streamId: 'gone' }).next(10))).toEqual([14]);
      expect(await store.headPosition()).toBe(15);
    });

    it('keeps the head at the cut when no event is left', async () => {
      for (const [stream, version] of [
        ['a', 7],
        ['b', 4],
        ['gone', 2],
      ] as const)
        await snapshot(stream, version);
      await store.appendToStream('z', ANY, events(2));
      await snapshot('z', 2);
      expect((await store.closeBooks(16)).before).toBe(16);
      expect(await store.headPosition()).toBe(15);
      expect(await store.openAllReader(0).next(10)).toEqual([]);
    });
  });
});

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of iterable) all.push(event);
  return all;
}
