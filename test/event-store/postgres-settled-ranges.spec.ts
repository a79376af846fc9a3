import type { AllStreamReader } from '../../lib/event-store/event-store.interface.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import type { NewEvent, RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { PgDriver } from '../../lib/event-store/sql/pg/pg-driver.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { SettledHead } from '../../lib/event-store/sql/settled-head.js';
import { SettledRanges } from '../../lib/event-store/sql/settled-ranges.js';
import { MAX_WINDOW, SqlFilteredReader } from '../../lib/event-store/sql/sql-filtered-reader.js';
import { sqlSchema } from '../../lib/event-store/sql/sql-schema.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { HeldAppend } from './fixtures/held-append.js';

const WANTED = { eventTypes: ['Happened'] };
const MIN_LAG = 1_000;
const positions = (list: RecordedEvent[]) => list.map((e) => e.globalPosition);
const others = (count: number): NewEvent[] => events(count).map((event) => ({ ...event, eventType: 'Other' }));

/** The real driver, keeping the kind of each store statement it ran (its name without the schema). */
class StatementLog extends PgDriver {
  readonly kinds: string[] = [];

  constructor(private readonly schema: string) {
    super({ adapter: 'postgres', connectionString: TEST_DATABASE_URL });
  }

  override prepared<R>(name: string, text: string, params: unknown[]) {
    this.kinds.push(name.slice(0, -this.schema.length - 1));
    return super.prepared<R>(name, text, params);
  }
}

/** Reads until the reader is at `head`, the way a subscription pages. */
async function readTo(reader: AllStreamReader, head: number, pageSize = 20): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  while (reader.position < head) all.push(...(await reader.next(pageSize)));
  return all;
}

describe('PostgreSQL filtered reads far behind the head: settled ranges', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let log: StatementLog;

  /** `blocks` runs of `unwanted` other events then one wanted; returns the wanted positions. */
  const seed = async (prefix: string, blocks: number, unwanted: number): Promise<number[]> => {
    const wanted: number[] = [];
    for (let i = 0; i < blocks; i++) {
      await store.appendToStream(`${prefix}-${i}`, ANY, others(unwanted));
      wanted.push((await store.appendToStream(`${prefix}-${i}`, ANY, events(1))).globalPosition);
    }
    return wanted;
  };
  const openReader = () =>
    new SqlFilteredReader(log, sqlSchema(schema.name), 0, WANTED, new SettledRanges(new SettledHead(log, sqlSchema(schema.name)), MIN_LAG));

  beforeEach(async () => {
    schema = await testSchema();
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    await store.init();
    log = new StatementLog(schema.name);
    await log.open();
  });
  afterEach(async () => {
    await log.close();
    await store.close();
    await schema.drop();
  });

  it('reads a proven range with plain filtered reads: no gap count, each wanted event once, in order', async () => {
    const wanted = await seed('far', 20, 249);
    const reader = openReader();
    expect(positions(await readTo(reader, wanted[wanted.length - 1]))).toEqual(wanted);
    expect(new Set(log.kinds)).toEqual(new Set(['es_read_settled']));
  });

  it('crosses the dead gap of a rolled-back append inside the range, with no fence', async () => {
    const before = await seed('before', 4, 249);
    const held = new HeldAppend(schema.name);
    await held.begin();
    await held.append('held', 3);
    await held.end('ROLLBACK');
    const after = await seed('after', 4, 249);
    const reader = openReader();
    expect(positions(await readTo(reader, after[after.length - 1]))).toEqual([...before, ...after]);
    expect(new Set(log.kinds)).toEqual(new Set(['es_read_settled']));
  });

  it('proves no range while a position below the head is in flight, and reads it once committed', async () => {
    const before = await seed('before', 4, 249);
    const held = new HeldAppend(schema.name);
    await held.begin();
    const [heldPosition] = await held.append('held');
    const after = await seed('after', 20, 249);
    const reader = openReader();
    const head = after[after.length - 1];

    const early: RecordedEvent[] = [];
    try {
      for (let read = 0; read < 20; read++) early.push(...(await reader.next(20)));
    } finally {
      await held.end('COMMIT');
    }
    expect(positions(early)).toEqual(before);
    expect(reader.position).toBeLessThan(heldPosition);
    expect(log.kinds).not.toContain('es_read_settled');
    // Pages of 2, so the reader does not reach the head in one window and asks for the proof again.
    expect(positions(await readTo(reader, head, 2))).toEqual([heldPosition, ...after]);
    // Once the holder ended, the proof closed and the rest was read as a settled range.
    expect(log.kinds).toContain('es_read_settled');
  });

  it('is what a store reader uses when more than a window behind the head', async () => {
    for (let i = 0; i < 11; i++) await store.appendToStream(`bulk-${i}`, ANY, others(MAX_WINDOW / 10));
    const wanted = await seed('tail', 5, 99);
    const reader = store.openAllReader(0, WANTED);
    expect(positions(await readTo(reader, wanted[wanted.length - 1], 500))).toEqual(wanted);
  });
});
