import type { INestApplication } from '@nestjs/common';
import { AggregateReader, EventSourcingError, isUnknownEventType, PostgresEventStore } from '../../lib/index.js';
import { Counter, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { TEST_DATABASE_URL, testSchema, type TestSchema, withClient } from '../harness/postgres-schema.js';
import { report } from './bank-setup.js';

const HOSTILE_IDS = ["a'b", 'a";--', "x'); DROP TABLE events; --", 'a;b', '../../etc/passwd', '..\\..\\boot', '$pm-x', '%00'];
const CRAFTED_TYPES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Object', 'Function'];

const newEvent = (eventId: string) => ({ eventId, eventType: 'Incremented', data: { counterId: 'x', by: 1 }, metadata: {} });
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('faults: hostile ids and stored type names on PostgreSQL', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let app: INestApplication;

  beforeAll(async () => {
    schema = await testSchema('es_faults_sec');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await store.init();
    app = await createApp({ options: { eventStore: store }, aggregates: [Counter], providers: [] });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await schema?.drop();
  });

  it('stores ids with quotes, semicolons and ../ verbatim, as parameters, and leaves the tables alone', async () => {
    for (const [i, id] of HOSTILE_IDS.entries()) {
      await store.appendToStream(`counter-${id}`, 0, [newEvent(uuid(i + 1))]);
      expect((await store.readStream(`counter-${id}`)).map((e) => [e.streamId, e.eventId])).toEqual([[`counter-${id}`, uuid(i + 1)]]);
    }
    const { rows } = await withClient((c) => c.query(`SELECT count(*)::int AS n FROM "${schema.name}".events`));
    expect(rows[0].n).toBe(HOSTILE_IDS.length);
    report('hostile ids', { tried: HOSTILE_IDS.length, storedVerbatim: rows[0].n });
  });

  it('refuses a NUL byte in a stream id with a typed error, writing nothing', async () => {
    const head = await store.headPosition();
    const error = await store.appendToStream('counter-a\u0000b', 0, [newEvent(uuid(100))]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(await store.headPosition()).toBe(head);
    if (!(error instanceof EventSourcingError))
      throw new Error(
        `a NUL in a stream id failed with ${error ? `an untyped ${error instanceof Error ? error.message : JSON.stringify(error)}` : 'nothing'}`,
      );
  });

  it('revives only registered classes from stored type names: crafted rows fail with UnknownEventTypeError, nothing polluted', async () => {
    await store.appendToStream('counter-evil', 0, [newEvent(uuid(200))]);
    await withClient(async (client) => {
      for (const [i, type] of CRAFTED_TYPES.entries()) {
        await client.query(
          `INSERT INTO "${schema.name}".events (global_position, event_id, stream_id, stream_version, event_type, data)
           VALUES (nextval('"${schema.name}".global_position_seq'), $1, 'counter-evil', $2, $3, $4)`,
          [uuid(300 + i), i + 2, type, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"counterId":"evil","by":1}'],
        );
      }
    });
    const error = await app
      .get(AggregateReader)
      .load(Counter, 'evil')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isUnknownEventType(error)).toBe(true);
    expect((error as Error).message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(new Incremented('a', 1))).toBe(Incremented.prototype);
    report('crafted stored type names', { tried: CRAFTED_TYPES.length, revived: 0 });
  });
});
