import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { type PostgresFixture, postgresFixture } from './fixtures/postgres-store.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

const PROCESS = join(import.meta.dirname, 'fixtures', 'projector-process.mjs');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A projector process and every state it reported, in order. */
function startProjector(schema: string, subscription: string) {
  const child: ChildProcess = trackChild(
    spawn(process.execPath, [PROCESS, TEST_DATABASE_URL, schema, subscription], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const states: string[] = [];
  const errors: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => states.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  return { child, states, errors };
}

describe('operating a projector that runs in another process on PostgreSQL', () => {
  let pg: PostgresFixture;

  beforeAll(() => ensureSampleBuilt(), 180_000);
  beforeEach(async () => {
    pg = await postgresFixture();
  });
  afterEach(async () => {
    await stopAllManagers();
    await pg.dispose();
  });

  it('pause stops delivery in the owning process; resume continues from where it was, each event once', async () => {
    const name = uniqueName('items');
    await addItems(pg.store, 'a', ['1', '2', '3']);
    const owner = startProjector(pg.schema.name, name);
    await waitForHandler(pg.store, name, 3, { timeout: 20_000 });
    // This process shares only the schema with the owner: no pubsub between them.
    const operator = managerOn(pg.store);
    expect(await operator.readControl(name)).toMatchObject({ owner: `child-${owner.child.pid}`, paused: false });

    await operator.pause(name);
    await eventually(() => expect(owner.states.at(-1)).toBe('paused'), { timeout: 60_000 });
    const appended = await addItems(pg.store, 'b', ['4', '5', '6']);
    await sleep(1_000); // five polls of the owner: a running owner would have delivered by now
    expect(await pg.store.readCheckpoint(name)).toBe(3);
    expect(await pg.rows()).toHaveLength(3);

    await operator.resume(name);
    await waitForHandler(pg.store, name, appended.globalPosition, { timeout: 60_000 });
    expect(owner.states.at(-1)).toBe('running');
    expect((await pg.rows()).map((row) => row.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(owner.errors).toEqual([]);
    await killChild(owner.child, 'SIGTERM');
    expect((await operator.readControl(name))?.owner).toBeNull();
  }, 180_000);
});
