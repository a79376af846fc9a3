import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { type PostgresFixture, postgresFixture } from '../subscriptions/fixtures/postgres-store.js';
import { addItems, uniqueName } from '../subscriptions/fixtures/subscription-fixtures.js';

const PROCESS = join(import.meta.dirname, 'fixtures', 'follower-process.mjs');
const LISTS = 16;
const ITEMS = 20;

/** A process-manager process and the states it reported. */
function startFollower(schema: string, subscription: string) {
  const child: ChildProcess = trackChild(
    spawn(process.execPath, [PROCESS, TEST_DATABASE_URL, schema, subscription], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const states = new Set<string>();
  const errors: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => states.add(line)),
  );
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  return { child, states, errors };
}

describe('a process manager with concurrent instances shared by two real processes on PostgreSQL', () => {
  let pg: PostgresFixture;

  beforeAll(() => ensureSampleBuilt(), 180_000);
  beforeEach(async () => {
    pg = await postgresFixture();
  });
  afterEach(() => pg.dispose());

  it('keeps each process id in order; after kill -9 mid-batch the other node takes over and every instance gets every step, commands once', async () => {
    const name = uniqueName('follower');
    const items = (list: number) => Array.from({ length: ITEMS }, (_, j) => `${list}:${j}`);
    // Interleaved, so consecutive events belong to different instances.
    for (let j = 0; j < ITEMS; j++) for (let list = 0; list < LISTS; list++) await addItems(pg.store, `f${list}`, [items(list)[j]]);
    const head = LISTS * ITEMS;
    const acks = async () =>
      (await pg.store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${pg.schema.name}".events WHERE event_type = 'SubTestAck'`)).rows[0]
        .n;

    const first = startFollower(pg.schema.name, name);
    await eventually(() => expect(first.states.has('running')).toBe(true), { timeout: 20_000 });
    const second = startFollower(pg.schema.name, name);
    await eventually(() => expect(second.states.has('standby')).toBe(true), { timeout: 20_000 });
    await eventually(async () => expect(await acks()).toBeGreaterThanOrEqual(30), { timeout: 30_000 });
    expect(await acks()).toBeLessThan(head);

    await killChild(first.child, 'SIGKILL');
    await eventually(() => expect(second.states.has('running')).toBe(true), { timeout: 60_000 });
    // The acks are events too (after the items): the checkpoint passes every item once all are acked.
    await eventually(async () => expect(await acks()).toBe(head), { timeout: 60_000 });
    await eventually(async () => expect(await pg.store.readCheckpoint(name)).toBeGreaterThanOrEqual(head), { timeout: 60_000 });

    for (let list = 0; list < LISTS; list++) {
      const acked = (await pg.store.readStream(`acks-f${list}`)).map((event) => event.data.item);
      expect(acked).toEqual(items(list));
      expect((await pg.store.readSnapshot(`$pm-${name}-f${list}`))?.data).toEqual({ $format: 'tagged/1', seen: items(list) });
    }
    const pids = new Set(
      (
        await pg.store.sql.query<{ pid: number }>(
          `SELECT DISTINCT (data->>'pid')::int AS pid FROM "${pg.schema.name}".events WHERE event_type = 'SubTestAck'`,
        )
      ).rows.map((row) => row.pid),
    );
    expect(pids).toEqual(new Set([first.child.pid, second.child.pid]));
    expect(second.errors).toEqual([]);
    await killChild(second.child, 'SIGTERM');
    expect(second.child.exitCode).toBe(0);
  }, 240_000);
});
