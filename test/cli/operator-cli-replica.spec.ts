import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { buildStore, type StoreBuild } from '../event-store/fixtures/build-store.js';
import { eventually } from '../harness/eventually.js';
import { postgresReplicaForFile } from '../harness/postgres-replica.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';

const run = promisify(execFile);
const event = (data: Record<string, unknown>) => ({ eventId: randomUUID(), eventType: 'Deposited', data });
/** More than the replica's default `minLag`, so `tail --from 0` starts far behind. */
const HISTORY = 1_200;

/** The operator command line with `--replica-url`, against a real streaming standby. */
describe('operator command line with a read replica', () => {
  const replica = postgresReplicaForFile();
  let build: StoreBuild;
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(async () => {
    build = await buildStore();
    schema = await testSchema('es_cli_replica');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await store.init();
    for (let i = 0; i < HISTORY; i += 100) {
      await store.appendToStream(
        `account-${i / 100}`,
        ANY,
        Array.from({ length: 100 }, (_, n) => event({ amount: i + n })),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await replica()
      .resumeReplay()
      .catch(() => undefined);
    await store?.close();
    await schema?.drop();
    await build?.remove();
  });

  const env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL };
  const cli = (...args: string[]) =>
    run(process.execPath, [join(build.dir, 'lib/bin/cli.js'), ...args, '--schema', schema.name, '--replica-url', replica().url, '--json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
  const json = async (...args: string[]) => JSON.parse((await cli(...args)).stdout) as Record<string, unknown>;

  it('events and streams read the replica: what it has not replayed yet is not shown', async () => {
    await replica().caughtUp();
    await replica().pauseReplay();
    try {
      await store.appendToStream('account-0', ANY, [event({ amount: -1 })]);
      await store.appendToStream('late', ANY, [event({ amount: 0 })]);
      const page = (await json('events', 'account-0', '--limit', '1000')) as { events: unknown[] };
      expect(page.events).toHaveLength(100);
      // The replica named by the environment instead of the flag.
      const listed = await run(
        process.execPath,
        [join(build.dir, 'lib/bin/cli.js'), 'streams', '--limit', '1000', '--schema', schema.name, '--json'],
        {
          env: { ...env, DATABASE_REPLICA_URL: replica().url },
        },
      );
      const streams = JSON.parse(listed.stdout) as { streams: Array<{ streamId: string; version: number }> };
      expect(streams.streams.map((s) => s.streamId)).not.toContain('late');
      expect(streams.streams.find((s) => s.streamId === 'account-0')).toMatchObject({ version: 100 });
      // Without the replica, the same commands read the primary.
      const primary = await run(
        process.execPath,
        [join(build.dir, 'lib/bin/cli.js'), 'events', 'account-0', '--limit', '1000', '--schema', schema.name, '--json'],
        {
          env,
        },
      );
      expect((JSON.parse(primary.stdout) as { events: unknown[] }).events).toHaveLength(101);
    } finally {
      await replica().resumeReplay();
    }
  });

  it('tail --from 0 replays the history with a replica, every event once and in order', async () => {
    await replica().caughtUp();
    const child = spawn(process.execPath, [join(build.dir, 'lib/bin/cli.js'), 'tail', '--from', '0', '--json', '--schema', schema.name], {
      env: { ...env, DATABASE_REPLICA_URL: replica().url },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const head = await store.headPosition();
    await eventually(() => expect(stdout).toContain(`"globalPosition":${head},`), { timeout: 60_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const positions = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { globalPosition: number }).globalPosition);
    // How many pages the replica served depends on how far its replay trails the primary's WAL
    // (other suites write too); which pages it may serve is proven in postgres-read-replica.spec.ts.
    expect(positions).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });
});
