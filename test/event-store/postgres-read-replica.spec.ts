import { randomUUID } from 'node:crypto';
import { InvalidOptionsError } from '../../lib/errors/invalid-options.error.js';
import type { AllStreamFilter } from '../../lib/event-store/all-stream-filter.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { EventSourcingStatus } from '../../lib/event-sourcing.health.js';
import { healthReport } from '../../lib/event-sourcing.health-report.js';
import { resolveHealthCheckOptions } from '../../lib/health-check.options.js';
import { eventually } from '../harness/eventually.js';
import { postgresReplicaForFile } from '../harness/postgres-replica.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { HeldAppend } from './fixtures/held-append.js';
import { appendMixed, readUntilHead, readerAccount } from './fixtures/replica-reads.js';

const replica = postgresReplicaForFile();
const PAGE = 50;

describe('PostgreSQL store with a read replica', () => {
  let schema: TestSchema;
  /** The store under test: catch-up reads go to the replica when more than 20 events behind. */
  let store: PostgresEventStore;
  /** The same schema without a replica: what the primary alone delivers. */
  let primary: PostgresEventStore;

  const open = async (minLag = 20) => {
    store = new PostgresEventStore({
      connectionString: TEST_DATABASE_URL,
      schema: schema.name,
      poolSize: 4,
      replica: { connectionString: replica().url, minLag },
    });
    await store.init();
  };

  beforeEach(async () => {
    schema = await testSchema('es_replica');
    primary = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await primary.init();
  });
  afterEach(async () => {
    await store?.close();
    await primary.close();
    await replica()
      .resumeReplay()
      .catch(() => undefined); // the last test stops the replica
    await schema.drop();
  });

  const rowsFetchedOnReplica = async () => {
    const [row] = await replica().query<{ n: string }>(
      `SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'events'`,
      [schema.name],
    );
    return Number(row?.n ?? 0);
  };
  /** What the health check reports for a node with no subscriptions on `store`. */
  const health = () => {
    const status: EventSourcingStatus = {
      node: 'n',
      pubsub: { transport: 'local', connected: true },
      subscriptions: [],
      aggregates: { live: 0, unreadable: [], executed: 0, conflicts: 0 },
    } as unknown as EventSourcingStatus;
    return healthReport(status, store, [], resolveHealthCheckOptions({}, []));
  };
  const eventsRead = async () => (await store.replicaStatus())!.eventsRead;
  const onPrimary = (filter?: AllStreamFilter) => readUntilHead(primary.openAllReader(0, filter), PAGE);

  it('catches up through the replica while appends go on, and hands over to the primary exactly, past a transaction held open', async () => {
    await open();
    await appendMixed(primary, 300);
    await replica().caughtUp();
    const reader = store.openAllReader(0);
    const delivered: RecordedEvent[] = [...(await reader.next(PAGE))];
    // From here the replica has replayed what the first page's proof needs: the rest of the range comes from it.
    await replica().caughtUp();
    while (delivered.length < 250) {
      delivered.push(...(await reader.next(PAGE)));
      await appendMixed(primary, 5); // appends go on during the catch-up
    }
    expect(await eventsRead()).toBeGreaterThanOrEqual(200);
    // A transaction draws the next position and stays open while later appends commit.
    const held = new HeldAppend(schema.name);
    await held.begin();
    let heldPosition: number;
    try {
      [heldPosition] = await held.append('held');
      await appendMixed(primary, 30);
      // The replica replays all it is sent before each page: nothing but the proof keeps the reader off the held position there.
      delivered.push(...(await readUntilHead(reader, PAGE, () => replica().caughtUp())));
    } finally {
      await held.end('COMMIT');
    }
    expect(delivered.map((e) => e.globalPosition)).not.toContain(heldPosition);
    expect(delivered[delivered.length - 1].globalPosition).toBe(heldPosition - 1);
    delivered.push(...(await readUntilHead(reader, PAGE, () => replica().caughtUp())));
    const expected = await onPrimary();
    expect(expected.map((e) => e.streamId)).toContain('held');
    expect(delivered.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
  });

  it('goes on from where the primary left it once a proof that waited on an open transaction closes', async () => {
    await open();
    await appendMixed(primary, 100);
    const held = new HeldAppend(schema.name);
    await held.begin();
    const reader = readerAccount(store.openAllReader(0));
    try {
      await held.append('held');
      await appendMixed(primary, 100);
      // The proof of the head stays open while the transaction does: the reader reads the primary up to it.
      await reader.page(PAGE);
      await reader.page(PAGE);
      await reader.page(PAGE);
    } finally {
      await held.end('COMMIT');
    }
    await appendMixed(primary, 100);
    // One long page on the primary carries the reader past the head it tried to prove.
    await reader.page(4 * PAGE);
    await replica().caughtUp();
    const delivered = [...reader.delivered, ...(await readUntilHead(reader.reader, PAGE, () => replica().caughtUp()))];
    expect(delivered.map((e) => e.eventId)).toEqual((await onPrimary()).map((e) => e.eventId));
  });

  it.each<[string, AllStreamFilter]>([
    ['by type', { eventTypes: ['Noted'] }],
    ['by category', { streamPrefix: 'cat-b-' }],
    ['by stream', { streamId: 'cat-a-1' }],
  ])('filters %s through the replica as the primary does', async (_how, filter) => {
    await open();
    await appendMixed(primary, 400);
    await replica().caughtUp();
    const reader = store.openAllReader(0, filter);
    const first = await reader.next(PAGE);
    await replica().caughtUp();
    const delivered = [...first, ...(await readUntilHead(reader, PAGE))];
    expect(await eventsRead()).toBeGreaterThan(0);
    expect(delivered.map((e) => e.eventId)).toEqual((await onPrimary(filter)).map((e) => e.eventId));
  });

  it('reads nothing from a replica that has not replayed the range, and skips nothing: the primary answers', async () => {
    await open();
    await appendMixed(primary, 200);
    await replica().caughtUp();
    const reader = readerAccount(store.openAllReader(0));
    await reader.page(PAGE);
    await replica().caughtUp();
    await replica().pauseReplay();
    // Written after the pause: the replica cannot see these, so they can only come from the primary.
    await appendMixed(primary, 100);
    const before = await eventsRead();
    const delivered = [...reader.delivered, ...(await readUntilHead(reader.reader, PAGE))];
    // The rest of the first proven range (up to 200) came from the replica, everything later from the primary.
    expect((await eventsRead()) - before).toBe(200 - PAGE);
    expect(delivered.map((e) => e.eventId)).toEqual((await onPrimary()).map((e) => e.eventId));
    // The replica's own statistics count the rows it handed out (they reach its views when its sessions go idle).
    await eventually(async () => expect(await rowsFetchedOnReplica()).toBeGreaterThanOrEqual(200 - PAGE));
  });

  it('serves operator views from the replica, stale by its lag, and aggregates from the primary', async () => {
    await open();
    await primary.appendToStream('cat-a-1', ANY, [{ eventId: randomUUID(), eventType: 'Happened', data: {} }]);
    await replica().caughtUp();
    await replica().pauseReplay();
    await primary.appendToStream('cat-a-1', ANY, [{ eventId: randomUUID(), eventType: 'Happened', data: {} }]);
    await primary.appendToStream('cat-a-2', ANY, [{ eventId: randomUUID(), eventType: 'Happened', data: {} }]);

    expect((await store.listStreams({ limit: 10 })).streams.map((s) => [s.streamId, s.version])).toEqual([['cat-a-1', 1]]);
    expect(await store.readStream('cat-a-1', { fromReplica: true })).toHaveLength(1);
    expect(await store.readStream('cat-a-1')).toHaveLength(2);
    expect((await primary.listStreams({ limit: 10 })).streams).toHaveLength(2);
    const { details } = await health();
    expect(details.store.replica).toMatchObject({ reachable: true, eventsRead: 0 });
    expect((details.store.replica as { lagBytes: number }).lagBytes).toBeGreaterThan(0);
  });

  it('reads the primary only when the reader is within minLag of the head', async () => {
    await open(1_000);
    await appendMixed(primary, 100);
    await replica().caughtUp();
    expect((await readUntilHead(store.openAllReader(0), PAGE)).map((e) => e.eventId)).toEqual((await onPrimary()).map((e) => e.eventId));
    expect(await eventsRead()).toBe(0);
  });

  it('refuses replica options of the wrong kind, naming each field', () => {
    const build = () =>
      new PostgresEventStore({ connectionString: TEST_DATABASE_URL, replica: { connectionString: 'replica:5432/app', poolSize: 0, minLag: -1 } });
    expect(build).toThrow(InvalidOptionsError);
    expect(build).toThrow(`'eventStore.replica.connectionString' must be the standby's connection string`);
    expect(build).toThrow(`'eventStore.replica.poolSize' must be a whole number of 1 or more, got 0`);
    expect(build).toThrow(`'eventStore.replica.minLag' must be a whole number of events, 0 or more, got -1`);
  });

  // Last: it stops the file's replica.
  it('falls back to the primary from the exact position when the replica stops in the middle of a catch-up', async () => {
    await open();
    await appendMixed(primary, 300);
    await replica().caughtUp();
    const reader = readerAccount(store.openAllReader(0));
    await reader.page(PAGE);
    await replica().caughtUp();
    while ((await eventsRead()) < 100) await reader.page(PAGE);
    await replica().stop();
    await appendMixed(primary, 20);
    const delivered = [...reader.delivered, ...(await readUntilHead(reader.reader, PAGE))];
    expect(delivered.map((e) => e.eventId)).toEqual((await onPrimary()).map((e) => e.eventId));
    // Reported, never judged: the primary answers.
    const { details, findings } = await health();
    expect(details.store).toMatchObject({ reachable: true, replica: { reachable: false } });
    expect(findings).toEqual([]);
  });
});
