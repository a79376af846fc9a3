import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { type PostgresFixture, postgresFixture } from './fixtures/postgres-store.js';
import { addItems, uniqueName } from './fixtures/subscription-fixtures.js';

const PROCESS = join(import.meta.dirname, 'fixtures', 'projector-process.mjs');

/** A projector process and the states it reported, with when each was first seen. */
function startProjector(schema: string, subscription: string, concurrency: number) {
  const child: ChildProcess = trackChild(
    spawn(process.execPath, [PROCESS, TEST_DATABASE_URL, schema, subscription, String(concurrency)], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const states = new Map<string, number>();
  const errors: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) if (!states.has(line)) states.set(line, Date.now());
  });
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  return { child, states, errors };
}

describe.each([1, 4])('a projector at concurrency %i shared by two real processes on PostgreSQL', (concurrency) => {
  let pg: PostgresFixture;

  beforeAll(() => ensureSampleBuilt(), 180_000);
  beforeEach(async () => {
    pg = await postgresFixture();
  });
  afterEach(() => pg.dispose());

  it('runs in one process; after kill -9 the other takes over and applies every event exactly once', async () => {
    const name = uniqueName('balances');
    for (let i = 0; i < 30; i++)
      await addItems(
        pg.store,
        `list-${i}`,
        Array.from({ length: 20 }, (_, j) => `${i}-${j}`),
      );
    const first = startProjector(pg.schema.name, name, concurrency);
    await eventually(() => expect(first.states.has('running')).toBe(true), { timeout: 20_000 });
    const second = startProjector(pg.schema.name, name, concurrency);
    await eventually(() => expect(second.states.has('standby')).toBe(true), { timeout: 20_000 });

    const applied = async () => (await pg.rows()).length;
    await eventually(async () => expect(await applied()).toBeGreaterThanOrEqual(100), { timeout: 20_000 });
    expect(await applied()).toBeLessThan(600);
    expect(second.states.has('running')).toBe(false);

    await killChild(first.child, 'SIGKILL');
    // However long the takeover takes on this machine, it must happen; its speed is bench/'s figure.
    await eventually(() => expect(second.states.has('running')).toBe(true), { timeout: 60_000 });

    const late = await addItems(
      pg.store,
      'late',
      Array.from({ length: 50 }, (_, j) => `late-${j}`),
    );
    await eventually(async () => expect(await pg.store.readCheckpoint(name)).toBe(late.globalPosition), { timeout: 30_000 });
    const { rows } = await pg.store.sql.query<{ position: string; runner: number }>(`SELECT position, runner FROM ${pg.items} ORDER BY position`);
    expect(rows.map((row) => Number(row.position))).toEqual(Array.from({ length: late.globalPosition }, (_, i) => i + 1));
    expect(new Set(rows.map((row) => row.runner))).toEqual(new Set([first.child.pid, second.child.pid]));
    expect(second.errors).toEqual([]);
    await killChild(second.child, 'SIGTERM');
    expect(second.child.exitCode).toBe(0);
  }, 180_000);
});
