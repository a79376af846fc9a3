import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ANY } from '../../lib/event-store/expected-version.js';
import { PERSONAL_DATA_KEY } from '../../lib/event-store/personal-fields.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { buildStore, type StoreBuild } from '../event-store/fixtures/build-store.js';

const run = promisify(execFile);
const HOLDER = { name: 'Ottoline Brisk', email: 'ottoline@example.test' };

/** `forget` run as a real process against the real PostgreSQL, and what the other commands show afterwards. */
describe('forget on the command line', () => {
  let build: StoreBuild;
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(async () => {
    build = await buildStore();
    schema = await testSchema('es_cli_forget');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 });
    await store.init();
    const metadata = { [PERSONAL_DATA_KEY]: { subject: 'acc-7', fields: ['holder'] } };
    await store.appendToStream('account-7', ANY, [
      { eventId: randomUUID(), eventType: 'AccountOpened', data: { accountId: 'acc-7', holder: HOLDER }, metadata },
    ]);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await schema?.drop();
    await build?.remove();
  });

  const env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL };
  const cli = (...args: string[]) => run(process.execPath, [join(build.dir, 'lib/bin/cli.js'), ...args, '--schema', schema.name], { env });

  it('refuses without confirmation off a terminal, then forgets with --yes, once, as text and as JSON', async () => {
    await expect(cli('forget', 'acc-7')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot be undone: confirm it with --yes'),
    });
    expect(await store.subjectKeys.isForgotten('acc-7')).toBe(false);
    expect((await cli('events', 'account-7')).stdout).toContain(HOLDER.email);

    const first = JSON.parse((await cli('forget', 'acc-7', '--yes', '--json')).stdout) as Record<string, unknown>;
    expect(first).toEqual({ subjectId: 'acc-7', keyDestroyed: true, position: 2 });
    expect((await cli('forget', 'acc-7', '-y')).stdout).toBe('acc-7 forgotten (it had no key left); SubjectForgotten at position 2\n');
    expect(await store.readStream('$subject-acc-7')).toMatchObject([{ eventType: '$SubjectForgotten', data: { subjectId: 'acc-7' } }]);

    const text = (await cli('events', 'account-7')).stdout;
    expect(text).toContain('"holder":"[forgotten]"');
    expect(text).toContain('(forgotten: holder)');
    expect(text).not.toContain(HOLDER.email);
    const page = JSON.parse((await cli('events', 'account-7', '--json')).stdout) as { events: Array<Record<string, unknown>> };
    expect(page.events[0]).toMatchObject({ data: { accountId: 'acc-7', holder: '[forgotten]' }, forgottenFields: ['holder'] });
  });
});
