import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ANY } from '../../lib/event-store/expected-version.js';
import { migrate } from '../../lib/migrate.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { buildStore, type StoreBuild } from './fixtures/build-store.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';

const RUNNER = join(import.meta.dirname, 'fixtures', 'projection-runner.mjs');

/** A projection runner process and what it printed so far. */
function startRunner(build: StoreBuild, schema: string) {
  const child: ChildProcess = trackChild(
    spawn(process.execPath, [RUNNER, build.dir, TEST_DATABASE_URL, schema, 'balances'], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const output: string[] = [];
  let acquiredAt: number | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (line === 'acquired') acquiredAt = Date.now();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output, acquiredAt: () => acquiredAt };
}

const query = <R>(text: string) => withClient(async (client) => (await client.query(text)).rows as R[]);

describe('PostgreSQL subscription leases between real processes', () => {
  let build: StoreBuild;
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(async () => {
    build = await buildStore();
  }, 120_000);
  afterAll(() => build?.remove());

  beforeEach(async () => {
    schema = await testSchema();
    await migrate({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    await query(`CREATE TABLE "${schema.name}".projection (global_position bigint NOT NULL, event_id uuid NOT NULL, runner integer NOT NULL)`);
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, autoMigrate: false });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  it('keeps one runner; after kill -9 another takes over and applies every event exactly once', async () => {
    for (let i = 0; i < 30; i++) await store.appendToStream(`account-${i}`, ANY, events(10));
    const first = startRunner(build, schema.name);
    await eventually(() => expect(first.acquiredAt()).toBeDefined(), { timeout: 20_000 });
    const second = startRunner(build, schema.name);
    const applied = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema.name}".projection`))[0].n);
    await eventually(async () => expect(await applied()).toBeGreaterThanOrEqual(100), { timeout: 20_000 });
    // The standby retries every 250 ms and has been refused all along.
    expect(second.acquiredAt()).toBeUndefined();
    expect(await applied()).toBeLessThan(300);

    await killChild(first.child, 'SIGKILL');
    // However long the takeover takes on this machine, it must happen; its speed is bench/'s figure.
    await eventually(() => expect(second.acquiredAt()).toBeDefined(), { timeout: 60_000 });

    for (let i = 0; i < 10; i++) await store.appendToStream(`late-${i}`, ANY, events(10));
    const head = await store.headPosition();
    await eventually(async () => expect(await store.readCheckpoint('balances')).toBe(head), { timeout: 30_000 });
    const rows = await query<{ global_position: string; runner: number }>(
      `SELECT global_position, runner FROM "${schema.name}".projection ORDER BY global_position`,
    );
    expect(rows.map((row) => Number(row.global_position))).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(new Set(rows.map((row) => row.runner))).toEqual(new Set([first.child.pid, second.child.pid]));
    expect(second.output).not.toContain('lost');
    await killChild(second.child, 'SIGKILL');
  }, 180_000);
});
