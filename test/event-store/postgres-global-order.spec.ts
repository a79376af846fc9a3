import pg from 'pg';
import { isDuplicateEvent } from '../../lib/errors/duplicate-event.error.js';
import type { AllStreamFilter } from '../../lib/event-store/all-stream-filter.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { events, newEvent } from '../../lib/event-store/conformance/conformance-events.js';
import { isDuplicateCommand } from '../../lib/errors/duplicate-command.error.js';
import { appendAsGroup } from './grouped-append-suite.js';
import { APPEND_FLIGHTS } from '../../lib/event-store/sql/sql-append-group.js';
import { HeldAppend } from './fixtures/held-append.js';
import { drain, readExactly } from './fixtures/read-past-gaps.js';
import { postgresReplicaForFile } from '../harness/postgres-replica.js';
import { lockWaiters } from '../harness/lock-waiters.js';

const positions = (list: RecordedEvent[]) => list.map((e) => e.globalPosition);

/**
 * A group of two appends, the second naming a command id that a held transaction recorded: the group
 * draws its positions, then waits for the holder. Resolves once it waits.
 */
async function heldGroup(store: PostgresEventStore, schema: string) {
  const holder = new HeldAppend(schema);
  await holder.begin();
  await holder.recordCommand('held');
  const group = appendAsGroup(store, [
    { stream: 'g-1', expected: ANY },
    { stream: 'g-2', expected: ANY, command: 'held' },
  ]);
  await group.leads;
  await groupWaiting(store, schema);
  return { holder, group };
}

/** Resolves once a grouped append on `schema` waits for a lock (here: a command id another transaction holds). */
const groupWaiting = (store: PostgresEventStore, schema: string) => lockWaiters(store.sql, `%"${schema}".append_event_groups%`);

const replica = postgresReplicaForFile();

const READERS: Array<[string, AllStreamFilter | undefined, boolean]> = [
  ['reading every event', undefined, false],
  // Every event here is a Happened: the filtered statement must keep the same order and gaps.
  ['filtered by type', { eventTypes: ['Happened'] }, false],
  // minLag 0: the reader proves a range and reads the replica whenever it can, and moves to the primary and back.
  ['reading every event through a read replica', undefined, true],
  ['filtered by type through a read replica', { eventTypes: ['Happened'] }, true],
];

describe.each(READERS)('PostgreSQL global order, %s: no event is skipped when a lower position commits late', (_reader, filter, withReplica) => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  const openReader = (after: number) => store.openAllReader(after, filter);

  beforeEach(async () => {
    schema = await testSchema();
    store = new PostgresEventStore({
      connectionString: TEST_DATABASE_URL,
      schema: schema.name,
      poolSize: 20,
      ...(withReplica && { replica: { connectionString: replica().url, minLag: 0 } }),
    });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  it('holds back later events while a lower position is in flight, then delivers all once it commits', async () => {
    await store.appendToStream('before', ANY, events(2));
    const held = new HeldAppend(schema.name);
    await held.begin();
    const [heldPosition] = await held.append('held');
    expect(heldPosition).toBe(3);
    for (let i = 0; i < 3; i++) await store.appendToStream(`after-${i}`, ANY, events(1));
    expect(await store.headPosition()).toBe(6);

    const reader = openReader(0);
    expect(positions(await drain(reader))).toEqual([1, 2]);
    expect(positions(await drain(openReader(0)))).toEqual([1, 2]);
    expect(reader.position).toBe(2);

    await held.end('COMMIT');
    const rest = await drain(reader);
    expect(positions(rest)).toEqual([3, 4, 5, 6]);
    expect(rest[0].streamId).toBe('held');
    expect(positions(await drain(openReader(0)))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('passes the holes of a removed stream only with the gaps below them, never ahead of a lower position in flight', async () => {
    await store.appendToStream('gone', ANY, events(2));
    await store.appendToStream('kept', ANY, events(1));
    const early = openReader(0);
    expect(positions(await early.next(1))).toEqual([1]);
    const held = new HeldAppend(schema.name);
    await held.begin();
    expect(await held.append('held')).toEqual([4]);
    expect(await store.deleteStream('gone', { hard: true })).toMatchObject({ version: 3, removed: 2 });
    await store.appendToStream('kept', ANY, events(1));
    // 2 is a hole, 4 in flight: a reader of the primary cannot tell them apart and waits for both; one
    // reading a replica may hold an earlier proof that positions up to 3 are final and serve them. None
    // goes past 4 while it is in flight.
    const before = positions(await drain(early));
    expect(before.every((position) => position < 4)).toBe(true);
    await held.end('COMMIT');
    // The tombstone (5) is not a Happened: a filter by type passes over it.
    const live = filter ? [3, 4, 6] : [3, 4, 5, 6];
    const rest = live.filter((position) => !before.includes(position));
    expect([...before.filter((position) => position !== 2), ...positions(await readExactly(early, rest.length))]).toEqual(live);
    expect(positions(await readExactly(openReader(0), live.length))).toEqual(live);
  });

  it('does not wait on a removal in flight: what it still sees was committed, and after the commit the holes are passed', async () => {
    await store.appendToStream('gone', ANY, events(3));
    await store.appendToStream('kept', ANY, events(1));
    const removal = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await removal.connect();
    await removal.query('BEGIN');
    const { rows } = await removal.query(`SELECT removed FROM "${schema.name}".remove_stream_events('gone', 3)`);
    expect(rows[0].removed).toBe(2);
    expect(positions(await drain(openReader(0)))).toEqual([1, 2, 3, 4]);
    await removal.query('COMMIT');
    await removal.end();
    expect(positions(await readExactly(openReader(0), 2))).toEqual([3, 4]);
  });

  it('skips the positions of an append that rolled back, once no transaction can still hold them', async () => {
    const held = new HeldAppend(schema.name);
    await held.begin();
    expect(await held.append('held', 2)).toEqual([1, 2]);
    await store.appendToStream('after', ANY, events(2));

    const reader = openReader(0);
    expect(await drain(reader)).toEqual([]);
    await held.end('ROLLBACK');
    expect(positions(await readExactly(reader, 2))).toEqual([3, 4]);
    await store.appendToStream('later', ANY, events(1));
    expect(positions(await readExactly(reader, 1))).toEqual([5]);
  });

  it('waits for the holder of a gap even when its transaction id is newer than every committed one', async () => {
    // The later append's transaction takes its id first, so the gap's holder has the highest id of
    // all: a bound taken from the reader's snapshot (its xmax) would not cover it.
    const early = new HeldAppend(schema.name);
    const gapHolder = new HeldAppend(schema.name);
    await early.begin();
    await early.takeXid();
    await gapHolder.begin();
    expect(await gapHolder.append('gap')).toEqual([1]);
    expect(await early.append('early')).toEqual([2]);
    await early.end('COMMIT');

    const reader = openReader(0);
    for (let i = 0; i < 5; i++) expect(await reader.next(10)).toEqual([]);
    await gapHolder.end('COMMIT');
    expect(positions(await drain(reader))).toEqual([1, 2]);
  });

  it('holds back the events of a group that commits late behind a later append, then delivers all', async () => {
    await store.appendToStream('before', ANY, events(1));
    const { holder, group } = await heldGroup(store, schema.name);
    const later = new HeldAppend(schema.name);
    await later.begin();
    await later.append('after');
    await later.end('COMMIT');

    const reader = openReader(0);
    const early = await drain(reader);
    expect(early.map((e) => e.streamId)).toContain('before');
    expect(early.map((e) => e.streamId)).not.toContain('after');
    await holder.end('ROLLBACK');
    expect((await group.outcomes).map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
    const all = [...early, ...(await drain(reader))];
    const streams = all.map((e) => e.streamId);
    expect(streams.indexOf('g-1')).toBeLessThan(streams.indexOf('g-2'));
    expect(streams.indexOf('g-2')).toBeLessThan(streams.indexOf('after'));
    expect(positions(all)).toEqual(positions(await drain(openReader(0))));
    expect(all).toHaveLength(APPEND_FLIGHTS + 4);
  });

  it('delivers a late group whose member was refused after the group drew positions, skipping only what was undone', async () => {
    const { holder, group } = await heldGroup(store, schema.name);
    const later = new HeldAppend(schema.name);
    await later.begin();
    const [afterPosition] = await later.append('after');
    await later.end('COMMIT');

    const reader = openReader(0);
    const early = await drain(reader);
    expect(early.map((e) => e.streamId)).not.toContain('after');
    // The duplicate undoes the group's statement: its appends go again one by one (the first
    // committed after 'after', the second refused).
    await holder.end('COMMIT');
    const outcomes = await group.outcomes;
    expect(outcomes[0].status).toBe('fulfilled');
    expect(isDuplicateCommand((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    expect((await store.readStream('g-1'))[0].globalPosition).toBeGreaterThan(afterPosition);
    expect(await store.streamVersion('g-2')).toBe(0);
    // Passing the undone positions waits for every older write transaction on the server to end
    // (other suites' too): whatever has come by then is the start of the order, nothing skipped.
    const { rows } = await store.sql.query<{ position: number }>(`SELECT global_position::int AS position FROM "${schema.name}".events ORDER BY 1`);
    const stored = rows.map((row) => row.position);
    expect(stored).toHaveLength(APPEND_FLIGHTS + 2);
    const delivered = positions([...early, ...(await drain(reader))]);
    expect(delivered).toEqual(stored.slice(0, delivered.length));
  });

  it('delivers every event of 16 concurrent writers x 500 appends exactly once, in order, while they write', async () => {
    const WRITERS = 16;
    const APPENDS = 500;
    let writing = true;
    let rolledBack = 0;
    const writer = async (w: number) => {
      for (let i = 0; i < APPENDS; i++) {
        if (i % 50 === 25) {
          // A batch refused after it drew its positions leaves a permanent gap to skip.
          const duplicate = (await store.readStream(`writer-${w}`, { direction: 'backward', maxCount: 1 }))[0];
          const refused = await store.appendToStream(`writer-${w}`, i, [newEvent(), { ...newEvent(), eventId: duplicate.eventId }]).catch((e) => e);
          expect(isDuplicateEvent(refused)).toBe(true);
          rolledBack++;
        }
        await store.appendToStream(`writer-${w}`, i, [newEvent({ w, i })]);
      }
    };
    const received: RecordedEvent[] = [];
    const reader = openReader(0);
    const subscriber = (async () => {
      while (writing) {
        const page = await reader.next(200);
        received.push(...page);
        if (!page.length) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await subscriber;
    received.push(...(await readExactly(reader, WRITERS * APPENDS - received.length, 200)));

    expect(rolledBack).toBe(WRITERS * (APPENDS / 50));
    expect(received).toHaveLength(WRITERS * APPENDS);
    const seen = positions(received);
    expect(seen.every((p, i) => i === 0 || p > seen[i - 1])).toBe(true);
    expect(new Set(received.map((e) => e.eventId)).size).toBe(WRITERS * APPENDS);
    const stored = await readExactly(openReader(0), WRITERS * APPENDS, 1000);
    expect(positions(stored)).toEqual(seen);
    // Rolled-back batches drew positions too, so the sequence went past the number of events.
    expect(await store.headPosition()).toBeGreaterThan(WRITERS * APPENDS);
    for (let w = 0; w < WRITERS; w++) {
      const stream = received.filter((e) => e.streamId === `writer-${w}`).map((e) => e.data.i);
      expect(stream).toEqual(Array.from({ length: APPENDS }, (_, i) => i));
    }
  }, 120_000);
});

describe('PostgreSQL global order through a filter that passes over what follows a gap', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeEach(async () => {
    schema = await testSchema();
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  const others = (count: number) => events(count).map((event) => ({ ...event, eventType: 'Other' }));

  it('does not look past a wanted event still in flight, however many unwanted ones committed after it', async () => {
    await store.appendToStream('before', ANY, events(2));
    const held = new HeldAppend(schema.name);
    await held.begin();
    expect(await held.append('held')).toEqual([3]);
    await store.appendToStream('after', ANY, others(3));

    const reader = store.openAllReader(0, { eventTypes: ['Happened'] });
    expect(positions(await drain(reader))).toEqual([1, 2]);
    expect(reader.position).toBe(2);
    await held.end('COMMIT');
    expect(positions(await drain(reader))).toEqual([3]);
    expect(reader.position).toBe(6);
  });

  it('reads a long backlog range by range, and stops before a position still in flight far behind the head', async () => {
    const wantedBefore: number[] = [];
    for (let i = 0; i < 12; i++) {
      await store.appendToStream(`before-${i}`, ANY, others(250));
      wantedBefore.push((await store.appendToStream(`before-${i}`, ANY, events(1))).globalPosition);
    }
    const held = new HeldAppend(schema.name);
    await held.begin();
    const [heldPosition] = await held.append('held');
    const wantedAfter: number[] = [];
    for (let i = 0; i < 12; i++) {
      await store.appendToStream(`after-${i}`, ANY, others(250));
      wantedAfter.push((await store.appendToStream(`after-${i}`, ANY, events(1))).globalPosition);
    }

    const reader = store.openAllReader(0, { eventTypes: ['Happened'] });
    expect(positions(await drain(reader, 5))).toEqual(wantedBefore);
    expect(reader.position).toBeLessThan(heldPosition);
    await held.end('COMMIT');
    expect(positions(await drain(reader, 5))).toEqual([heldPosition, ...wantedAfter]);
    expect(reader.position).toBe(wantedAfter[wantedAfter.length - 1]);
  });

  it.each(READERS)('%s, skips a dead gap while an unrelated transaction holds the server back', async (_reader, filter) => {
    // A transaction that writes no event but keeps the snapshot's xmin where it is, as a long report would.
    const unrelated = new HeldAppend(schema.name);
    await unrelated.begin();
    await unrelated.takeXid();
    try {
      const held = new HeldAppend(schema.name);
      await held.begin();
      expect(await held.append('held', 2)).toEqual([1, 2]);
      const after = await store.appendToStream('after', ANY, events(2));
      const reader = store.openAllReader(0, filter);
      expect(await drain(reader)).toEqual([]);
      await held.end('ROLLBACK');
      expect(positions(await readExactly(reader, 2))).toEqual([3, 4]);
      expect(reader.position).toBe(after.globalPosition);
    } finally {
      await unrelated.end('COMMIT');
    }
  });

  it('looks past the dead gap of a rolled-back append once no transaction can still hold it', async () => {
    const held = new HeldAppend(schema.name);
    await held.begin();
    expect(await held.append('held', 2)).toEqual([1, 2]);
    await store.appendToStream('after', ANY, others(2));
    const reader = store.openAllReader(0, { eventTypes: ['Happened'] });
    expect(await drain(reader)).toEqual([]);
    expect(reader.position).toBe(0);
    await held.end('ROLLBACK');
    while (reader.position < 4) expect(await reader.next(10)).toEqual([]);
    const wanted = await store.appendToStream('later', ANY, events(1));
    expect(positions(await readExactly(reader, 1))).toEqual([wanted.globalPosition]);
  });
});
