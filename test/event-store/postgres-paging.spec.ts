import { NO_STREAM } from '../../lib/event-store/expected-version.js';
import { PgDriver } from '../../lib/event-store/sql/pg/pg-driver.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { SqlEventStore } from '../../lib/event-store/sql/sql-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';

/** The real driver, recording each statement and how many rows it returned (not the NOTIFY wake-ups, sent on their own after appends). */
class RecordingDriver extends PgDriver {
  readonly statements: Array<{ text: string; rows: number }> = [];
  override async query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }> {
    const result = await super.query<R>(text, params);
    if (!text.includes('pg_notify')) this.statements.push({ text, rows: result.rows.length });
    return result;
  }
  override async prepared<R = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<{ rows: R[] }> {
    const result = await super.prepared<R>(name, text, params);
    this.statements.push({ text, rows: result.rows.length });
    return result;
  }
}

const TOTAL = 6000;
const PAGE = 250;

describe('PostgreSQL batches and paging', () => {
  let schema: TestSchema;
  let driver: RecordingDriver;
  let store: SqlEventStore;

  beforeAll(async () => {
    schema = await testSchema();
    driver = new RecordingDriver({ adapter: 'postgres', connectionString: TEST_DATABASE_URL });
    store = new SqlEventStore(driver, { schema: schema.name });
    await store.init();
    driver.statements.length = 0;
    // One statement per append, however many events it carries (the NOTIFY wake-up follows on its own).
    await store.appendToStream('big', NO_STREAM, events(TOTAL / 2));
    await store.appendToStream('big', TOTAL / 2, events(TOTAL / 2, TOTAL / 2 + 1));
    expect(driver.statements.map((s) => s.rows)).toEqual([TOTAL / 2, TOTAL / 2]);
  });
  afterAll(async () => {
    await store.close();
    await schema.drop();
  });

  const readsDuring = async (iterable: AsyncIterable<RecordedEvent>) => {
    driver.statements.length = 0;
    const seen: number[] = [];
    for await (const event of iterable) seen.push(event.data.n as number);
    return { seen, reads: driver.statements };
  };

  it('iterates all events in keyset pages of the requested size', async () => {
    const { seen, reads } = await readsDuring(store.iterateAll(0, { pageSize: PAGE }));
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    // Full pages, then one read that finds the end.
    expect(reads).toHaveLength(TOTAL / PAGE + 1);
    expect(reads.every((s) => s.rows <= PAGE && !/OFFSET/i.test(s.text))).toBe(true);
  });

  it('iterates a long stream backward in pages', async () => {
    const { seen, reads } = await readsDuring(store.iterateStream('big', { pageSize: PAGE, direction: 'backward' }));
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => TOTAL - i));
    // Full pages, then one read that finds the end.
    expect(reads).toHaveLength(TOTAL / PAGE + 1);
    expect(reads.every((s) => s.rows <= PAGE && !/OFFSET/i.test(s.text))).toBe(true);
  });
});
