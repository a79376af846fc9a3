import { newEvent } from '../../lib/event-store/conformance/conformance-events.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { assertAppendInput } from '../../lib/event-store/append-input.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../lib/event-store/payload-size.js';
import { PartitionKeeper } from '../../lib/event-store/sql/partition-keeper.js';
import { PgDriver } from '../../lib/event-store/sql/pg/pg-driver.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { appendGroup, type GroupedAppend } from '../../lib/event-store/sql/sql-append-group.js';
import { sqlSchema } from '../../lib/event-store/sql/sql-schema.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';

const RANGE_SIZE = 4;

const appendTo = (streamId: string): GroupedAppend => {
  const events = [newEvent({ streamId })];
  return { batch: { streamId, expected: ANY, events, json: assertAppendInput(streamId, ANY, events, DEFAULT_MAX_PAYLOAD_BYTES) } };
};

describe('the partition keeper of a partitioned PostgreSQL store', () => {
  let schema: TestSchema;
  let driver: PgDriver;
  const sql = async <R>(text: string) => (await withClient((client) => client.query(text))).rows as R[];

  beforeEach(async () => {
    schema = await testSchema('es_keep');
    // The store lays the table out (ranges up to position 8) and goes; the keeper under test keeps it from then on.
    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, partitioning: { rangeSize: RANGE_SIZE } });
    await store.init();
    await store.close();
    driver = new PgDriver({ adapter: 'postgres', connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await driver.open();
  });
  afterEach(async () => {
    await driver.close();
    await schema.drop();
  });

  it('reports the appends of a group that committed as done when ranges for the rest cannot be added', async () => {
    const keeper = new PartitionKeeper(driver, sqlSchema(schema.name), RANGE_SIZE);
    await keeper.open();
    // Other nodes drew positions up to 6 unseen by this keeper, and a table in the way of the next range makes adding it fail.
    await sql(`SELECT setval('"${schema.name}".global_position_seq', 6)`);
    await sql(`CREATE TABLE "${schema.name}".events_p8 (x integer)`);
    let runs = 0;
    // The same stream twice: the group goes append by append, so the first commits at 7 and the second meets the end at 8.
    const outcomes = await keeper.retryingGroup(
      [appendTo('s'), appendTo('s')],
      () => 1,
      (group) => (runs++, appendGroup(driver, sqlSchema(schema.name), group)),
    );
    expect(runs).toBe(1);
    expect('result' in outcomes[0] && outcomes[0].result.globalPosition).toBe(7);
    expect('error' in outcomes[1] && String(outcomes[1].error)).toMatch(/events_p8" already exists/);
    const stored = await sql<{ position: string }>(`SELECT global_position::text AS position FROM "${schema.name}".events`);
    expect(stored.map((row) => Number(row.position))).toEqual([7]);
  });
});
