import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { buildStore, type StoreBuild } from '../event-store/fixtures/build-store.js';

const run = promisify(execFile);
const event = (data: Record<string, unknown>) => ({ eventId: randomUUID(), eventType: 'Deposited', data });

/** The operator command line run as a real process against the real PostgreSQL. */
describe('operator command line', () => {
  let build: StoreBuild;
  let schema: TestSchema;
  let store: PostgresEventStore;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    build = await buildStore();
    schema = await testSchema('es_cli');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await store.init();
    for (let i = 1; i <= 3; i++) await store.appendToStream(`account-${i}`, ANY, [event({ amount: i })]);
    await store.appendToStream('account-2', ANY, [event({ amount: 20 }), event({ amount: 21 }), event({ amount: 22 })]);
    await store.appendToStream('transfer-1', ANY, [event({ amount: 5 })]);
    const lease = (await store.acquireSubscription('balances'))!;
    await lease.saveCheckpoint(4);
    await lease.release();
  }, 120_000);
  afterAll(async () => {
    children.forEach((child) => child.kill('SIGKILL'));
    await store?.close();
    await schema?.drop();
    await build?.remove();
  });

  const cliPath = () => join(build.dir, 'lib/bin/cli.js');
  const env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL };
  const cli = (...args: string[]) => run(process.execPath, [cliPath(), ...args, '--schema', schema.name], { env });
  const json = async (...args: string[]) => {
    const { stdout, stderr } = await cli(...args, '--json');
    expect(stderr).toBe('');
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it('status shows each subscription with its position and lag, as text and as JSON', async () => {
    const { stdout } = await cli('status');
    expect(stdout).toContain('head position 7');
    expect(stdout).toMatch(/^balances\s+4\s+3\s+no owner\s+-\s+\S+ ago$/m);
    expect(stdout).toContain('no cluster members recorded');
    const status = await json('status');
    expect(status).toMatchObject({ head: 7, subscriptions: [{ name: 'balances', position: 4, lag: 3, paused: false, owner: null, resetTo: null }] });
    expect(status.members).toEqual([]);
  });

  it('status lists cluster members recorded in the store with their heartbeat age', async () => {
    await store.members.heartbeat({ name: 'node-a', host: '127.0.0.1', port: 4100, startedAt: Date.now() }, 5000);
    try {
      const status = await json('status');
      expect(status.members).toEqual([expect.objectContaining({ name: 'node-a', port: 4100, heartbeatAgeMs: expect.any(Number) })]);
      expect((await cli('status')).stdout).toMatch(/^node-a\s+127\.0\.0\.1:4100\s+\S+\s+\S+\s+\S+ ago$/m);
    } finally {
      await store.members.leave('node-a');
    }
  });

  it('status lists a member whose heartbeat expired as gone, not alive', async () => {
    await store.members.heartbeat({ name: 'node-killed', host: '127.0.0.1', port: 4101, startedAt: Date.now() }, 5000);
    await store.members.heartbeat({ name: 'node-up', host: '127.0.0.1', port: 4102, startedAt: Date.now() }, 5000);
    // As if killed an hour ago: its record stays until a node of the same name rejoins.
    await store.sql.query(
      `UPDATE "${schema.name}".cluster_members SET heartbeat_at = clock_timestamp() - interval '1 hour' WHERE name = 'node-killed'`,
    );
    try {
      const byDefault = (await json('status')).members as Array<{ name: string; alive: boolean }>;
      expect(byDefault.find((m) => m.name === 'node-killed')).toMatchObject({ alive: false });
      // A timeout far above this test's own pauses, so the fresh member cannot have expired meanwhile.
      const members = (await json('status', '--node-timeout', '600000')).members as Array<{ name: string; alive: boolean }>;
      expect(members.map((m) => [m.name, m.alive])).toEqual([
        ['node-killed', false],
        ['node-up', true],
      ]);
      const { stdout } = await cli('status', '--node-timeout', '600000');
      expect(stdout).toMatch(/^node-killed\s+127\.0\.0\.1:4101\s+gone\s+\S+\s+1h 00m ago$/m);
      expect(stdout).toMatch(/^node-up\s+127\.0\.0\.1:4102\s+alive\s+\S+\s+\S+ ago$/m);
    } finally {
      await store.members.leave('node-killed');
      await store.members.leave('node-up');
    }
  });

  it('pause, resume, restart and reset store their request for the owning node, from the command line alone', async () => {
    const lease = (await store.acquireSubscription('ledger', 'node-b'))!;
    await lease.saveCheckpoint(6);
    try {
      const paused = await json('pause', 'ledger');
      expect(paused).toMatchObject({ name: 'ledger', position: 6, paused: true, owner: 'node-b' });
      expect((await store.control.readControl('ledger'))?.paused).toBe(true);
      expect((await cli('status')).stdout).toMatch(/^ledger\s+6\s+1\s+paused\s+node-b\s+/m);
      expect((await cli('resume', 'ledger')).stdout).toContain('resume stored');
      expect((await store.control.readControl('ledger'))?.paused).toBe(false);
      const restarted = await json('restart', 'ledger');
      expect(restarted.epoch).toBeGreaterThan(paused.epoch as number);
      const reset = await json('reset', 'ledger', '--to', '2');
      expect(reset).toMatchObject({ name: 'ledger', resetTo: 2 });
      // The request raised the fence: the owner's old lease can no longer move the checkpoint.
      await expect(lease.saveCheckpoint(7)).rejects.toThrow();
      expect((await cli('status')).stdout).toMatch(/^ledger\s+6\s+1\s+reset to 2 pending\s+/m);
      // A time an hour ahead falls after every event: the checkpoint goes to the head.
      const later = await json('reset', 'ledger', '--to', new Date(Date.now() + 3_600_000).toISOString());
      expect(later).toMatchObject({ name: 'ledger', resetTo: await store.headPosition() });
    } finally {
      await lease.release();
    }
  });

  it('parked lists, retries and discards the dead letters of a subscription from the store alone', async () => {
    const [failed] = await store.readStream('account-3');
    const lease = (await store.acquireSubscription('dead-letters'))!;
    const { globalPosition, eventId, streamId, streamVersion, eventType } = failed;
    await lease.saveProgress({
      checkpoint: globalPosition,
      park: [{ globalPosition, eventId, streamId, streamVersion, eventType, error: 'refused', attempts: 3 }],
    });
    await lease.release();
    expect((await cli('parked', 'list', 'dead-letters')).stdout).toMatch(
      new RegExp(`^${globalPosition}\\s+account-3@1\\s+Deposited\\s+3\\s+no\\s+refused$`, 'm'),
    );
    const listed = JSON.parse((await cli('parked', 'list', 'dead-letters', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ globalPosition, streamId: 'account-3', attempts: 3, retryRequested: false })]);
    expect(await json('parked', 'retry', 'dead-letters', String(globalPosition))).toEqual({
      subscription: 'dead-letters',
      action: 'retry',
      count: 1,
    });
    expect((await store.parkedEvents.list('dead-letters'))[0].retryRequested).toBe(true);
    expect((await cli('parked', 'discard', 'dead-letters', 'all')).stdout).toContain('1 parked event(s) of dead-letters discarded');
    expect(await store.parkedEvents.count('dead-letters')).toBe(0);
    const bad = await cli('parked', 'retry', 'dead-letters', 'first').catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining("by their global positions, or 'all'") });
  });

  it('control commands refuse an unknown subscription and a bad target, writing nothing', async () => {
    const before = await store.control.listControl();
    const unknown = await cli('pause', 'no-such-subscription').catch((error: { code: number; stderr: string }) => error);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no-such-subscription') });
    const badTarget = await cli('reset', 'balances', '--to', 'yesterday').catch((error: { code: number; stderr: string }) => error);
    expect(badTarget).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--to must be 'origin', 'current', a global position or an ISO time"),
    });
    const beyondHead = await cli('reset', 'balances', '--to', '999').catch((error: { code: number; stderr: string }) => error);
    expect(beyondHead).toMatchObject({ code: 1 });
    expect(await store.control.listControl()).toEqual(before);
  });

  it('streams lists streams by prefix, a page at a time, following the printed cursor', async () => {
    const first = await json('streams', '--prefix', 'account-', '--limit', '2');
    expect(first).toMatchObject({
      streams: [
        { streamId: 'account-1', version: 1 },
        { streamId: 'account-2', version: 4 },
      ],
      next: 'account-2',
    });
    const second = await json('streams', '--prefix', 'account-', '--limit', '2', '--after', first.next as string);
    expect(second).toEqual({ streams: [expect.objectContaining({ streamId: 'account-3', version: 1, lastPosition: 3 })] });
    const text = (await cli('streams', '--limit', '2')).stdout;
    expect(text.split('\n')[0]).toMatch(/^STREAM\s+VERSION\s+LAST POSITION\s+UPDATED AT\s+STATE$/);
    expect(text).toContain('more: --after "account-2"');
  });

  it('events pages through a stream with --from and --limit', async () => {
    const first = await json('events', 'account-2', '--limit', '3');
    expect((first.events as { streamVersion: number; data: unknown }[]).map((e) => e.data)).toEqual([{ amount: 2 }, { amount: 20 }, { amount: 21 }]);
    expect(first.next).toBe(4);
    const last = await json('events', 'account-2', '--from', String(first.next), '--limit', '3');
    expect(last).toMatchObject({ streamId: 'account-2', events: [{ streamVersion: 4, eventType: 'Deposited', data: { amount: 22 } }] });
    expect(last.next).toBeUndefined();
    const text = (await cli('events', 'account-2', '--limit', '1')).stdout;
    expect(text).toMatch(/^1\s+2\s+Deposited\s+\S+\s+\{"amount":2\}$/m);
    expect(text).toContain('more: --from 2');
  });

  it('tail prints events appended after it started, as JSON lines, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [cliPath(), 'tail', '--json', '--schema', schema.name], { env });
    children.push(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Appends until one is seen: the first may land before the child has read the head it starts from.
    await eventually(
      async () => {
        await store.appendToStream('account-9', ANY, [event({ amount: 99 })]);
        expect(stdout).toContain('"streamId":"account-9"');
      },
      { timeout: 20_000, interval: 1000 },
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { streamId: string; data: unknown; globalPosition: number });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((e) => e.streamId === 'account-9' && e.globalPosition > 7)).toBe(true);
  });

  it('tail --from replays events after a position before following', async () => {
    const child = spawn(process.execPath, [cliPath(), 'tail', '--from', '6', '--schema', schema.name], { env });
    children.push(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually(() => expect(stdout).toMatch(/^7\s+transfer-1@1\s+Deposited\s+\{"amount":5\}$/m), { timeout: 15_000 });
    expect(stdout).toContain('following events after position 6');
    expect(stdout).not.toMatch(/^6\s/m);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('reads an embedded store from its data directory', async () => {
    const dataDir = join(build.dir, 'embedded-data');
    const embedded = new EmbeddedEventStore({ dataDir });
    await embedded.init();
    await embedded.appendToStream('order-1', ANY, [event({ amount: 1 }), event({ amount: 2 })]);
    await embedded.close();
    const noUrl = { env: { ...process.env, DATABASE_URL: '' } };
    const { stdout } = await run(process.execPath, [cliPath(), 'streams', '--data-dir', dataDir, '--json'], noUrl);
    expect(JSON.parse(stdout)).toEqual({ streams: [expect.objectContaining({ streamId: 'order-1', version: 2, lastPosition: 2 })] });
  });

  it('draws migration progress on a terminal only, leaving stdout to the result', async () => {
    const fresh = await testSchema('es_cli');
    try {
      // `script` gives the child a pseudo-terminal, as an operator's shell would.
      const line = [process.execPath, cliPath(), 'migrate', '--schema', fresh.name].join(' ');
      const { stdout } = await run('script', ['-qec', line, '/dev/null'], { env });
      expect(stdout).toMatch(/migration \d+ [a-z ]+ \[#{24}\] (\d+)\/\1 100%/);
      expect(stdout).toContain(`schema ${fresh.name}: applied migrations 1, 2, 3`);
      const piped = await run(process.execPath, [cliPath(), 'migrate', '--schema', fresh.name], { env });
      expect(piped).toEqual({ stdout: `schema ${fresh.name}: already up to date\n`, stderr: '' });
    } finally {
      await fresh.drop();
    }
  });

  it('delete shows its plan, and changes nothing until confirmed with --yes; streams then show the stream as deleted', async () => {
    await store.appendToStream('closing-1', ANY, [event({ amount: 1 }), event({ amount: 2 })]);
    const plan = await cli('delete', 'closing-1', '--hard').catch((error: { code: number; stdout: string }) => error);
    expect(plan).toMatchObject({
      code: 2,
      stdout: expect.stringContaining('closing-1: hard delete, ends with its tombstone at version 3; would remove 2 event(s) (versions 1-2)'),
    });
    expect(await json('delete', 'closing-1', '--dry-run')).toEqual({ streamId: 'closing-1', version: 3, deleted: true, removed: 0, dryRun: true });
    expect(await store.streamVersion('closing-1')).toBe(2);
    expect(await json('delete', 'closing-1', '--hard', '--yes')).toEqual({
      streamId: 'closing-1',
      version: 3,
      deleted: true,
      removed: 2,
      removedVersions: { from: 1, to: 2 },
      dryRun: false,
    });
    expect((await store.readStream('closing-1')).map((e) => e.eventType)).toEqual(['$StreamDeleted']);
    expect((await cli('streams', '--prefix', 'closing-')).stdout).toMatch(/^closing-1\s+3\s+\d+\s+\S+\s+deleted$/m);
    expect(await json('streams', '--prefix', 'closing-')).toMatchObject({ streams: [{ streamId: 'closing-1', deleted: true }] });
  });

  it('truncate --dry-run shows what would be removed; --yes removes it; a version no snapshot covers is refused', async () => {
    await store.appendToStream(
      'books-1',
      ANY,
      [1, 2, 3, 4].map((amount) => event({ amount })),
    );
    await expect(cli('truncate', 'books-1', '--before', '3', '--dry-run')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no snapshot'),
    });
    await store.saveSnapshot({ streamId: 'books-1', streamVersion: 2, snapshotType: 'Account', snapshotVersion: 1, data: { balance: 3 } });
    expect((await cli('truncate', 'books-1', '--before', '3', '--dry-run')).stdout).toBe(
      'books-1: truncate before version 3, keeps version 4; would remove 2 event(s) (versions 1-2)\n',
    );
    expect(await json('truncate', 'books-1', '--before', '3', '--yes')).toMatchObject({
      removed: 2,
      removedVersions: { from: 1, to: 2 },
      dryRun: false,
    });
    expect((await store.readStream('books-1')).map((e) => e.streamVersion)).toEqual([3, 4]);
    await expect(cli('truncate', 'books-1')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('needs --before') });
  });

  it('exits 2 on usage errors, saying what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['events'], /'events' takes <stream>/],
      [['streams', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
      [['streams', '--nope'], /Unknown option '--nope'/],
      [['pause'], /'pause' takes <subscription>/],
    ];
    for (const [args, message] of cases) {
      await expect(cli(...args)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    }
    await expect(run(process.execPath, [cliPath(), 'status'], { env: { ...process.env, DATABASE_URL: '' } })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Give --url'),
    });
  });

  it('exits 3 when the store cannot be reached', async () => {
    const unreachable = 'postgres://postgres@127.0.0.1:1/test';
    for (const command of ['status', 'streams', 'migrate']) {
      await expect(run(process.execPath, [cliPath(), command, '--url', unreachable])).rejects.toMatchObject({
        code: 3,
        stderr: expect.stringContaining('event store unreachable'),
      });
    }
    await expect(
      run(process.execPath, [cliPath(), 'status', '--data-dir', join(build.dir, 'no-such-dir')], { env: { ...process.env, DATABASE_URL: '' } }),
    ).rejects.toMatchObject({ code: 3, stderr: expect.stringContaining('No embedded store') });
  });

  it('a mistyped --schema says the schema does not exist and lists the schemas that hold an event store', async () => {
    const failed = await run(process.execPath, [cliPath(), 'status', '--schema', 'es_cli_never_created'], { env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const stderr = failed?.stderr ?? '';
    expect(stderr).toContain(`Schema 'es_cli_never_created' does not exist in database 'test'`);
    expect(stderr).toMatch(new RegExp(`event stores in this database: .*\\b${schema.name}\\b`));
    // migrate comes last, for a new store: never as the first thing to try.
    expect(stderr.indexOf('nestjs-event-sourcing migrate')).toBeGreaterThan(stderr.indexOf(schema.name));
    expect(stderr).not.toContain('is not migrated');
  });
});
