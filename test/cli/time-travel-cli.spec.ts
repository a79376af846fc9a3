import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandGateway, EmbeddedEventStore, type EventStore, PostgresEventStore } from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { Issue, Punch, TimeCard, upcasters } from '../fixtures/time-card.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { buildStore, type StoreBuild } from '../event-store/fixtures/build-store.js';

const run = promisify(execFile);
const HOLDER = 'Ottilie Vanbrugh';
/** Lets the store's clock move on, so the next event is recorded at a later millisecond. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 5));

/** What a failed run of the command line left: its exit code and what it printed on stderr. */
type Failed = { code: number; stderr: string; stdout: string };

/**
 * Writes a time card's history through an application: issued (personal data), a punch stored in its
 * first shape under its old name, then two punches, each recorded at a later millisecond.
 */
async function writeHistory(store: EventStore, cardId: string): Promise<void> {
  const app: INestApplication = await createApp({ aggregates: [TimeCard], options: { eventStore: store, upcasters } });
  try {
    await app.get(CommandGateway).dispatch(new Issue(cardId, HOLDER));
    await nextMillisecond();
    await store.appendToStream(`card-${cardId}`, 1, [{ eventId: randomUUID(), eventType: 'CardStamped', data: { cardId, hours: 2 } }]);
    for (const minutes of [30, 15]) {
      await nextMillisecond();
      await app.get(CommandGateway).dispatch(new Punch(cardId, minutes));
    }
  } finally {
    await app.close();
  }
}

/** `state` and `events --at` run as real processes against the real PostgreSQL and an embedded store. */
describe('time travel on the command line', () => {
  let build: StoreBuild;
  let schema: TestSchema;
  let store: PostgresEventStore;
  const card = randomUUID();
  const stream = `card-${card}`;

  beforeAll(async () => {
    build = await buildStore(['test/fixtures/time-card.ts']);
    schema = await testSchema('es_cli_state');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await store.init();
    await writeHistory(store, card);
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await schema?.drop();
    await build?.remove();
  });

  const modulePath = () => join(build.dir, 'test/fixtures/time-card.js');
  const env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL };
  const cli = (...args: string[]) => run(process.execPath, [join(build.dir, 'lib/bin/cli.js'), ...args, '--schema', schema.name], { env });
  const json = async (...args: string[]) => {
    const { stdout, stderr } = await cli(...args, '--json');
    expect(stderr).toBe('');
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  const failed = (...args: string[]) =>
    cli(...args).then(
      () => {
        throw new Error(`expected ${args.join(' ')} to fail`);
      },
      (error: Failed) => error,
    );
  const timeOf = async (version: number) => (await store.readStream(stream, { fromVersion: version, maxCount: 1 }))[0].createdAt;

  it('state prints the aggregate as it was at a version, with the application classes, upcasters and aliases', async () => {
    expect(await json('state', stream, '--module', modulePath(), '--at', '2')).toEqual({
      streamId: stream,
      aggregate: 'TimeCard',
      version: 2,
      state: expect.objectContaining({ holder: HOLDER, minutes: 120 }),
    });
    expect(await json('state', stream, '--module', modulePath())).toMatchObject({ version: 4, state: { minutes: 165 } });
    const { stdout } = await cli('state', stream, '--module', modulePath(), '--at', '1');
    expect(stdout).toBe(`TimeCard ${stream} at version 1\nTimeCard { holder: '${HOLDER}', minutes: 0 }\n`);
  });

  it('state and events take a time, inclusive, on the store clock', async () => {
    const third = await timeOf(3);
    const { stdout } = await cli('state', stream, '--module', modulePath(), '--at', third.toISOString());
    expect(stdout.split('\n')[0]).toBe(`TimeCard ${stream} at version 3 (as of ${third.toISOString()})`);
    expect(stdout).toContain('minutes: 150');
    expect((await cli('events', stream, '--at', third.toISOString())).stdout.split('\n')[0]).toBe(`as of ${third.toISOString()}: up to version 3`);
    const page = await json('events', stream, '--at', third.toISOString());
    expect(page).toMatchObject({ streamId: stream, until: 3 });
    expect((page.events as Array<{ streamVersion: number }>).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    const before = await json('events', stream, '--at', new Date((await timeOf(1)).getTime() - 1).toISOString());
    expect(before).toEqual({ streamId: stream, until: 0, events: [] });
  });

  it('events --at pages through the events up to a version only', async () => {
    const first = await json('events', stream, '--at', '3', '--limit', '2');
    expect(first).toMatchObject({ until: 3, next: 3 });
    expect((first.events as unknown[]).length).toBe(2);
    const last = await json('events', stream, '--at', '3', '--from', '3', '--limit', '2');
    expect((last.events as Array<{ streamVersion: number }>).map((e) => e.streamVersion)).toEqual([3]);
    expect(last.next).toBeUndefined();
    const text = (await cli('events', stream, '--at', '2')).stdout;
    expect(text.split('\n')[0]).toMatch(/^VERSION\s+POSITION/);
    expect(text).toMatch(/^2\s+\d+\s+CardStamped\s+\S+\s+\{.*"hours":2.*\}$/m);
    expect(text).not.toMatch(/^3\s/m);
  });

  it('refuses a version past the stream, a malformed point, a missing or empty module and a stream of no aggregate', async () => {
    expect(await failed('state', stream, '--module', modulePath(), '--at', '5')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`state failed: VERSION_NOT_REACHED: Stream '${stream}' has not reached version 5: it is at version 4`),
    });
    expect(await failed('events', stream, '--at', '5')).toMatchObject({ code: 1, stderr: expect.stringContaining('VERSION_NOT_REACHED') });
    for (const at of ['0', 'last tuesday']) {
      expect(await failed('state', stream, '--module', modulePath(), '--at', at)).toMatchObject({ code: 2, stderr: expect.stringContaining("'at") });
    }
    expect(await failed('state', stream)).toMatchObject({ code: 2, stderr: expect.stringContaining("'state' needs --module <file>") });
    expect(await failed('state', stream, '--module', join(build.dir, 'nothing.js'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such file'),
    });
    expect(await failed('state', stream, '--module', join(build.dir, 'lib/bin/text-output.js'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exports no @Aggregate class'),
    });
    expect(await failed('state', 'order-1', '--module', modulePath())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`stream "order-1" belongs to no registered aggregate: none of 'TimeCard'`),
    });
  });

  it('state refuses a deleted stream from its tombstone on, and shows it as it was before', async () => {
    const gone = randomUUID();
    await writeHistory(store, gone);
    await store.deleteStream(`card-${gone}`);
    expect(await failed('state', `card-${gone}`, '--module', modulePath())).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('STREAM_DELETED'),
    });
    expect(await json('state', `card-${gone}`, '--module', modulePath(), '--at', '4')).toMatchObject({ version: 4, state: { minutes: 165 } });
  });

  it('reads an embedded store from its data directory', async () => {
    const dataDir = join(build.dir, 'embedded-data');
    const embedded = new EmbeddedEventStore({ dataDir });
    await embedded.init();
    await writeHistory(embedded, card);
    await embedded.close();
    const noUrl = { env: { ...process.env, DATABASE_URL: '' } };
    const args = ['state', stream, '--module', modulePath(), '--at', '3', '--data-dir', dataDir, '--json'];
    const { stdout } = await run(process.execPath, [join(build.dir, 'lib/bin/cli.js'), ...args], noUrl);
    expect(JSON.parse(stdout)).toMatchObject({ aggregate: 'TimeCard', version: 3, state: { holder: HOLDER, minutes: 150 } });
  });
});
