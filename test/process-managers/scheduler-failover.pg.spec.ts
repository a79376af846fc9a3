import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PostgresEventStore } from '../../lib/index.js';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { append } from '../subscriptions/fixtures/subscription-fixtures.js';
import { ORDER_REMINDERS, OrderPlaced } from './fixtures/reminder-process.js';

const PROCESS = join(import.meta.dirname, 'fixtures', 'scheduler-process.mjs');

/** An application process and the lines it printed. */
function startApp(schema: string) {
  const child: ChildProcess = trackChild(
    spawn(process.execPath, [PROCESS, TEST_DATABASE_URL, schema], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } }),
  );
  const lines: string[] = [];
  const errors: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  return { child, lines, errors };
}

describe('scheduled commands across real processes on PostgreSQL', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(() => ensureSampleBuilt(), 180_000);
  beforeEach(async () => {
    schema = await testSchema('es_sched');
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 3 });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  it('after kill -9 of the process firing them, the other process fires every pending command, each exactly once', async () => {
    const first = startApp(schema.name);
    await eventually(() => expect(first.lines).toEqual(expect.arrayContaining(['ready', 'scheduler'])), { timeout: 30_000 });
    const second = startApp(schema.name);
    await eventually(() => expect(second.lines).toContain('ready'), { timeout: 30_000 });
    expect(second.lines).not.toContain('scheduler');

    const orders = Array.from({ length: 12 }, (_, i) => `o${i}`);
    // Spread over a few seconds, so the kill lands while some have fired and others wait.
    await append(
      store,
      'orders',
      orders.map((orderId, i) => new OrderPlaced(orderId, 'c1', 1500 + i * 400)),
    );
    const reminded = async () => (await store.readStream('rm-customer-c1')).map((event) => String(event.data.orderId));
    await eventually(async () => expect((await reminded()).length).toBeGreaterThanOrEqual(3), { timeout: 30_000 });
    await killChild(first.child, 'SIGKILL');
    const firedBeforeKill = (await reminded()).length;

    await eventually(() => expect(second.lines).toContain('scheduler'), { timeout: 30_000 });
    await eventually(async () => expect(await store.scheduledCommands.listScheduled(ORDER_REMINDERS)).toEqual([]), { timeout: 30_000 });
    const all = await reminded();
    expect([...all].sort()).toEqual([...orders].sort());
    expect(firedBeforeKill).toBeLessThan(orders.length);
    expect(second.errors.join('')).not.toMatch(/ERROR/);
    await killChild(second.child, 'SIGTERM');
    expect(second.child.exitCode).toBe(0);
  }, 120_000);
});
