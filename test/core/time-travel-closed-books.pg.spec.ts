import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AggregateReader, CommandGateway, isStreamTruncated, PostgresEventStore } from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { Add, Tally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';

/** An aggregate whose every event was archived by closing the books, loaded now and as it was. */
describe('time travel after closing the books (PostgreSQL, partitioned)', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let app: INestApplication;
  const [archived, kept] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    schema = await testSchema('es_books_time');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4, partitioning: { rangeSize: 4 } });
    await store.init();
    app = await createApp({ aggregates: [Tally], options: { eventStore: store } });
    for (const by of [1, 2, 3]) await app.get(CommandGateway).dispatch(new Add(archived, by)); // positions 1-3, partition [0, 4)
    await eventually(async () => expect((await store.readSnapshot(`tally-${archived}`))?.streamVersion).toBe(3));
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const by of [1, 2]) await app.get(CommandGateway).dispatch(new Add(kept, by));
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema.name}_archive" CASCADE`));
    await schema?.drop();
  });

  it('loads from the snapshot alone, at its version and at any time after it was saved, and refuses earlier points', async () => {
    const first = (await store.readStream(`tally-${archived}`, { maxCount: 1 }))[0].createdAt;
    expect((await store.closeBooks(4)).before).toBe(4);
    expect(await store.readStream(`tally-${archived}`)).toEqual([]);
    const reader = app.get(AggregateReader);
    const snapshot = (await store.readSnapshot(`tally-${archived}`))!;
    for (const at of [undefined, { version: 3 }, { time: snapshot.createdAt! }, { time: new Date(Date.now() + 60_000) }]) {
      expect(await reader.load(Tally, archived, { at })).toEqual({ state: expect.objectContaining({ total: 6 }), version: 3 });
    }
    // Nothing of the stream is kept: the removed events run at least up to the version asked for, or to the stream's own.
    for (const [at, firstVersion] of [
      [{ version: 2 }, 3],
      [{ time: first }, 4],
    ] as const) {
      const gone = await failure(reader.load(Tally, archived, { at }));
      expect(isStreamTruncated(gone)).toBe(true);
      expect(gone).toMatchObject({ firstVersion });
    }
    expect(await app.get(CommandGateway).dispatch(new Add(archived, 4), { returning: 'aggregateVersion' })).toBe(4);
  });
});
