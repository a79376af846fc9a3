import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { events } from '../../lib/event-store/conformance/conformance-events.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { buildStore, type StoreBuild } from '../event-store/fixtures/build-store.js';

const run = promisify(execFile);

/** partition-events and close-books run as real processes on a store holding events in one table. */
describe('command line: partitioning and closing the books', () => {
  let build: StoreBuild;
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(async () => {
    build = await buildStore();
    schema = await testSchema('es_cli_part');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await store.init();
    for (const stream of ['a', 'b', 'a', 'b']) await store.appendToStream(stream, ANY, events(3));
    const lease = (await store.acquireSubscription('slow-projection'))!;
    await lease.saveCheckpoint(2);
    await lease.release();
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema.name}_archive" CASCADE`));
    await schema?.drop();
    await build?.remove();
  });

  const env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL };
  const cli = (...args: string[]) => run(process.execPath, [join(build.dir, 'lib/bin/cli.js'), ...args, '--schema', schema.name], { env });
  const json = async (...args: string[]) => JSON.parse((await cli(...args, '--json')).stdout) as Record<string, unknown>;

  it('partitions the table in place, refuses to close books snapshots do not cover, then archives and reports the cut', async () => {
    expect(await json('partition-events', '--range-size', '4', '--dry-run')).toMatchObject({
      alreadyPartitioned: false,
      lastPosition: 12,
      firstBoundary: 16,
    });
    expect((await cli('partition-events', '--range-size', '4')).stdout).toContain('partitioned: 12 event(s) up to position 12 as partition [0, 16)');
    expect((await cli('partition-events')).stdout).toContain('partitioned already');
    for (let i = 0; i < 3; i++) await store.appendToStream('b', ANY, events(4));

    await expect(cli('close-books', '--before', '17')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/2 stream\(s\).*\(a, b\)/) });
    await store.saveSnapshot({ streamId: 'a', streamVersion: 6, snapshotType: 'S', snapshotVersion: 1, data: {} });
    await store.saveSnapshot({ streamId: 'b', streamVersion: 10, snapshotType: 'S', snapshotVersion: 1, data: {} });
    const dry = (await cli('close-books', '--before', '17', '--dry-run')).stdout;
    expect(dry).toContain(`would archive to ${schema.name}_archive: events_p0 [0, 16)`);
    expect(dry).toContain('subscriptions behind the cut, going on at it without the events between: slow-projection');
    expect(await json('close-books', '--before', '17')).toMatchObject({ before: 16, partitions: [{ name: 'events_p0', lower: 0, upper: 16 }] });
    expect((await cli('status')).stdout).toContain('books closed before position 16');
    expect(await json('status')).toMatchObject({ booksClosedBefore: 16 });
    await expect(cli('close-books', '--before', 'soon')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--before must be a global position or an ISO time'),
    });
  });
});
