import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { type PostgresFixture, postgresFixture } from './fixtures/postgres-store.js';
import { type Behaviour, recordingHandler } from './fixtures/recording-handler.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';
import type { ErrorPolicy } from '../../lib/decorators/subscription-options.js';

describe('transactional projectors on PostgreSQL', () => {
  let pg: PostgresFixture;

  beforeEach(async () => {
    pg = await postgresFixture();
  });
  afterEach(async () => {
    await stopAllManagers();
    await pg.dispose();
  });

  /** A projector that inserts each item through its transaction, then runs `after`. */
  /** A projector inserting each item through its transaction, named `name` (a new name by default). */
  const projector = (errorPolicy: ErrorPolicy, after: Behaviour = () => undefined, name = uniqueName('items')) =>
    recordingHandler(
      { name, errorPolicy },
      async (event, context) => {
        await context.sql!.query(`INSERT INTO ${pg.items} (position, item) VALUES ($1, $2)`, [context.globalPosition, event.item]);
        await after(event, context);
      },
      'projector',
    );
  const failOn = (item: string, times = Infinity): Behaviour => {
    let failures = 0;
    return (event) => {
      if (event.item === item && failures++ < times) throw new Error(`cannot project ${item}`);
    };
  };

  it('commits the read model with the checkpoint; a handler that throws after writing leaves neither', async () => {
    const { attempts, definition } = projector('stop', failOn('bad'));
    const name = definition.metadata.name;
    await addItems(pg.store, 'x', ['good', 'bad', 'unreached']);
    const manager = managerOn(pg.store);
    await manager.start([definition]);

    await eventually(() => expect(manager.status(name)?.state).toBe('stopped'));
    expect(await pg.rows()).toEqual([{ position: 1, item: 'good' }]);
    expect(await pg.store.readCheckpoint(name)).toBe(1);
    expect(attempts.filter((a) => a.item === 'bad')).toHaveLength(1);
  });

  it("keeps the error policy per event inside a batch: 'skip' drops only the failing event's writes", async () => {
    const { attempts, definition } = projector('skip', failOn('bad'));
    const name = definition.metadata.name;
    const appended = await addItems(pg.store, 'x', ['a', 'b', 'bad', 'c', 'd']);
    const manager = managerOn(pg.store);
    await manager.start([definition]);

    await waitForHandler(pg.store, name, appended.globalPosition);
    expect(await pg.rows()).toEqual([
      { position: 1, item: 'a' },
      { position: 2, item: 'b' },
      { position: 4, item: 'c' },
      { position: 5, item: 'd' },
    ]);
    expect(attempts.filter((a) => a.item === 'bad')).toHaveLength(1);
    expect(manager.status(name)).toMatchObject({ state: 'running', lastError: { position: 3, message: 'cannot project bad' } });
  });

  it("counts the batch's failure as the first 'retry' attempt and applies every event exactly once", async () => {
    const { attempts, definition } = projector('retry', failOn('flaky', 2));
    const name = definition.metadata.name;
    const appended = await addItems(pg.store, 'x', ['a', 'flaky', 'b']);
    const manager = managerOn(pg.store, { settings: { maxAttempts: 3 } });
    await manager.start([definition]);

    await waitForHandler(pg.store, name, appended.globalPosition);
    expect(attempts.filter((a) => a.item === 'flaky')).toHaveLength(3);
    expect(await pg.rows()).toEqual([
      { position: 1, item: 'a' },
      { position: 2, item: 'flaky' },
      { position: 3, item: 'b' },
    ]);
  });

  it('applies a long history in batches, each event once, and resumes after a restart', async () => {
    for (let i = 0; i < 12; i++)
      await addItems(
        pg.store,
        `list-${i}`,
        Array.from({ length: 100 }, (_, j) => `${i}-${j}`),
      );
    const first = projector('stop');
    const name = first.definition.metadata.name;
    const before = managerOn(pg.store, { settings: { batchSize: 250 } });
    await before.start([first.definition]);
    await waitForHandler(pg.store, name, 1200, { timeout: 20_000 });
    await before.stop();

    const more = await addItems(pg.store, 'tail', ['t1', 't2']);
    const second = projector('stop', undefined, name);
    const after = managerOn(pg.store);
    await after.start([second.definition]);
    await waitForHandler(pg.store, name, more.globalPosition);
    const rows = await pg.rows();
    expect(rows.map((row) => row.position)).toEqual(Array.from({ length: 1202 }, (_, i) => i + 1));
    expect(second.deliveries.map((d) => d.item)).toEqual(['t1', 't2']);
  });

  it('stopped in the middle of a batch, commits the events it delivered; the next owner goes on after them', async () => {
    let reached: () => void = () => undefined;
    const atThird = new Promise<void>((resolve) => (reached = resolve));
    let letGo: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    const first = projector('stop', async (event) => {
      if (event.item !== 'c') return;
      reached();
      await released;
    });
    const name = first.definition.metadata.name;
    const appended = await addItems(pg.store, 'x', ['a', 'b', 'c', 'd', 'e']);
    const before = managerOn(pg.store);
    await before.start([first.definition]);
    await atThird;
    const stopped = before.stop();
    letGo();
    await stopped;
    expect(first.deliveries.map((d) => d.item)).toEqual(['a', 'b', 'c']);
    expect(await pg.store.readCheckpoint(name)).toBe(3);
    expect((await pg.rows()).map((row) => row.item)).toEqual(['a', 'b', 'c']);

    const second = projector('stop', undefined, name);
    const after = managerOn(pg.store);
    await after.start([second.definition]);
    await waitForHandler(pg.store, name, appended.globalPosition);
    expect(second.deliveries.map((d) => d.item)).toEqual(['d', 'e']);
    expect((await pg.rows()).map((row) => row.item)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('gives event handlers no transaction: only projectors write through one', async () => {
    const seen: Array<unknown> = [];
    const { definition } = recordingHandler({ name: uniqueName('plain') }, (_event, context) => void seen.push(context.sql));
    const appended = await addItems(pg.store, 'x', ['a']);
    const manager = managerOn(pg.store);
    await manager.start([definition]);
    await waitForHandler(pg.store, definition.metadata.name, appended.globalPosition);
    expect(seen).toEqual([undefined]);
  });
});
