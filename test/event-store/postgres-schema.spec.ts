import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isSchemaNotFound } from '../../lib/errors/schema-not-found.error.js';
import { isInvalidOptions } from '../../lib/errors/invalid-options.error.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { migrate } from '../../lib/migrate.js';
import { IMMUTABLE_EVENT_SQLSTATE, MIGRATIONS } from '../../lib/event-store/sql/migrations.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { buildStore, type StoreBuild } from './fixtures/build-store.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';

const VERSIONS = MIGRATIONS.map((m) => m.version);

const run = promisify(execFile);

describe('PostgreSQL schema: migrations, isolation, immutability', () => {
  const schemas: TestSchema[] = [];
  const stores: PostgresEventStore[] = [];
  const newSchema = async () => {
    const schema = await testSchema();
    schemas.push(schema);
    return schema.name;
  };
  const openStore = async (schema: string, autoMigrate = true) => {
    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema, autoMigrate, poolSize: 2 });
    stores.push(store);
    await store.init();
    return store;
  };

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(schemas.splice(0).map((schema) => schema.drop()));
  });

  it('migrates once when several migrations run at the same time, and is idempotent', async () => {
    const schema = await newSchema();
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => migrate({ connectionString: TEST_DATABASE_URL, schema })));
    expect(outcomes.flat()).toEqual(VERSIONS);
    expect(await migrate({ connectionString: TEST_DATABASE_URL, schema })).toEqual([]);
    const rows = await withClient(async (client) => (await client.query(`SELECT version FROM "${schema}".migrations`)).rows);
    expect(rows).toEqual(VERSIONS.map((version) => ({ version })));
    const stores = await Promise.all([openStore(schema), openStore(schema)]);
    await stores[0].appendToStream('s', ANY, events(1));
    expect(await stores[1].streamVersion('s')).toBe(1);
  });

  describe('the migrate command', () => {
    let build: StoreBuild;
    beforeAll(async () => {
      build = await buildStore();
    }, 120_000);
    afterAll(() => build?.remove());
    const cli = (...args: string[]) =>
      run(process.execPath, [join(build.dir, 'lib/bin/cli.js'), ...args], { env: { ...process.env, DATABASE_URL: '' } });

    it('migrates a schema from two processes at once without error', async () => {
      const schema = await newSchema();
      const outputs = await Promise.all([1, 2].map(() => cli('migrate', '--url', TEST_DATABASE_URL, '--schema', schema)));
      expect(outputs.map((o) => o.stdout.trim()).sort()).toEqual([
        `schema ${schema}: already up to date`,
        `schema ${schema}: applied migrations ${VERSIONS.join(', ')}`,
      ]);
      const store = await openStore(schema, false);
      expect(await store.headPosition()).toBe(0);
    });

    it('explains its usage and fails with the usage exit code on missing arguments or a bad schema name', async () => {
      await expect(cli('migrate')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--url') });
      await expect(cli('frobnicate', '--url', TEST_DATABASE_URL)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage') });
      await expect(cli('migrate', '--url', TEST_DATABASE_URL, '--schema', 'Bad-Name')).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining("'eventStore.schema' must be"),
      });
    });
  });

  it('refuses to start on an unmigrated schema when autoMigrate is off', async () => {
    const error = await openStore(await newSchema(), false).catch((e: unknown) => e);
    expect(isSchemaNotFound(error)).toBe(true);
    expect((error as Error).message).toContain('nestjs-event-sourcing migrate');
  });

  it('refuses a schema name it cannot use safely', () => {
    for (const schema of ['', 'Upper', 'semi;colon', '1digit', 'x'.repeat(49)]) {
      let error: unknown;
      try {
        new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema });
      } catch (e) {
        error = e;
      }
      expect(isInvalidOptions(error)).toBe(true);
    }
  });

  it('keeps stores in different schemas apart', async () => {
    const [a, b] = await Promise.all([openStore(await newSchema()), openStore(await newSchema())]);
    await a.appendToStream('shared-name', ANY, events(3));
    expect(await b.headPosition()).toBe(0);
    expect(await b.readStream('shared-name')).toEqual([]);
    expect((await b.appendToStream('shared-name', 0, events(1))).globalPosition).toBe(1);
    const [leaseA, leaseB] = await Promise.all([a.acquireSubscription('projector'), b.acquireSubscription('projector')]);
    expect(leaseA).toBeDefined();
    expect(leaseB).toBeDefined();
    await leaseA!.saveCheckpoint(3);
    expect(await b.readCheckpoint('projector')).toBe(0);
  });

  it('refuses to change or remove stored events', async () => {
    const schema = await newSchema();
    const store = await openStore(schema);
    await store.appendToStream('s', ANY, events(2));
    await withClient(async (client) => {
      for (const statement of [
        `UPDATE "${schema}".events SET data = '{}'`,
        `DELETE FROM "${schema}".events WHERE stream_version = 1`,
        `TRUNCATE "${schema}".events`,
      ]) {
        await expect(client.query(statement)).rejects.toMatchObject({
          code: IMMUTABLE_EVENT_SQLSTATE,
          message: expect.stringContaining('immutable'),
        });
      }
    });
    expect((await store.readStream('s')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('lets rows leave the events table only through its own function, for the stream it names, within that call', async () => {
    const schema = await newSchema();
    const store = await openStore(schema);
    await store.appendToStream('s', ANY, events(2));
    await store.appendToStream('t', ANY, events(2));
    await withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('es.removing_events', jsonb_build_array($1::text, 't')::text, true)`, [schema]);
        await expect(client.query(`DELETE FROM "${schema}".events WHERE stream_id = 's'`)).rejects.toMatchObject({ code: IMMUTABLE_EVENT_SQLSTATE });
      } finally {
        await client.query('ROLLBACK');
      }
      await client.query('BEGIN');
      try {
        const { rows } = await client.query(`SELECT removed FROM "${schema}".remove_stream_events('t', 2)`);
        expect(rows[0].removed).toBe(1);
        await expect(client.query(`DELETE FROM "${schema}".events WHERE stream_id = 't'`)).rejects.toMatchObject({ code: IMMUTABLE_EVENT_SQLSTATE });
      } finally {
        await client.query('ROLLBACK');
      }
    });
    expect((await store.readStream('s')).length).toBe(2);
    expect((await store.readStream('t')).length).toBe(2);
  });
});
