import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, append, gate, managerOn, NoteWritten, uniqueName, stopAllManagers } from './fixtures/subscription-fixtures.js';

describe('SubscriptionRunner on the memory store', () => {
  afterEach(stopAllManagers);

  it('delivers every handled event once, in global order, and moves the checkpoint over the others', async () => {
    const store = new InMemoryEventStore();
    await addItems(store, 'a', ['a1', 'a2']);
    await append(store, 'notes', [new NoteWritten('ignored')]);
    await addItems(store, 'b', ['b1']);
    await addItems(store, 'a', ['a3']);
    const last = await append(store, 'notes', [new NoteWritten('trailing')]);
    const name = uniqueName('ordered');
    const { deliveries, definition } = recordingHandler({ name });
    const manager = managerOn(store);
    await manager.start([definition]);

    await waitForHandler(store, name, last.globalPosition);
    expect(deliveries).toEqual([
      { item: 'a1', position: 1 },
      { item: 'a2', position: 2 },
      { item: 'b1', position: 4 },
      { item: 'a3', position: 5 },
    ]);

    const live = await addItems(store, 'c', ['c1', 'c2']);
    await waitForHandler(store, name, live.globalPosition);
    expect(deliveries.map((d) => d.item)).toEqual(['a1', 'a2', 'b1', 'a3', 'c1', 'c2']);
    expect(manager.status(name)).toEqual({ name, kind: 'handler', state: 'running', position: live.globalPosition });
    await manager.stop();
  });

  it('moves the checkpoint only after the handler has finished', async () => {
    const store = new InMemoryEventStore();
    const hold = gate();
    const entered = gate();
    const name = uniqueName('after-handler');
    const { deliveries, definition } = recordingHandler({ name }, async (event) => {
      if (event.item !== 'second') return;
      entered.open();
      await hold.opened;
    });
    await addItems(store, 'x', ['first', 'second']);
    const manager = managerOn(store);
    await manager.start([definition]);

    await entered.opened;
    expect(await store.readCheckpoint(name)).toBe(1);
    expect(deliveries.map((d) => d.item)).toEqual(['first']);
    hold.open();
    await waitForHandler(store, name, 2);
    await manager.stop();
  });

  it('resumes after a restart exactly after the last acknowledged event', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('resume');
    await addItems(store, 'x', ['one', 'two', 'three']);
    const first = recordingHandler({ name });
    const before = managerOn(store);
    await before.start([first.definition]);
    await waitForHandler(store, name, 3);
    await before.stop();

    const more = await addItems(store, 'x', ['four', 'five']);
    const second = recordingHandler({ name });
    const after = managerOn(store);
    await after.start([second.definition]);
    await waitForHandler(store, name, more.globalPosition);
    expect(first.deliveries.map((d) => d.item)).toEqual(['one', 'two', 'three']);
    expect(second.deliveries.map((d) => d.item)).toEqual(['four', 'five']);
    await after.stop();
  });

  it("starts a new 'current' subscription at the head, then delivers only what comes after", async () => {
    const store = new InMemoryEventStore();
    await addItems(store, 'x', ['old-1', 'old-2', 'old-3']);
    const name = uniqueName('current');
    const { deliveries, definition } = recordingHandler({ name, startFrom: 'current' });
    const manager = managerOn(store);
    await manager.start([definition]);
    await waitForHandler(store, name, 3);

    const next = await addItems(store, 'x', ['new-1']);
    await waitForHandler(store, name, next.globalPosition);
    expect(deliveries).toEqual([{ item: 'new-1', position: 4 }]);
    await manager.stop();
  });

  it.each([
    ['keeps the saved checkpoint of', ['before-start']],
    ['delivers what arrived while down to one that first ran on an empty store, as', []],
  ])("%s a 'current' subscription across restarts", async (_, before: string[]) => {
    const store = new InMemoryEventStore();
    const name = uniqueName('current-restart');
    await addItems(store, 'x', before);
    const first = managerOn(store);
    await first.start([recordingHandler({ name, startFrom: 'current' }).definition]);
    await eventually(() => expect(first.status(name)).toMatchObject({ state: 'running', position: before.length }));
    await first.stop();

    await addItems(store, 'x', ['while-down']);
    const { deliveries, definition } = recordingHandler({ name, startFrom: 'current' });
    const second = managerOn(store);
    await second.start([definition]);
    await waitForHandler(store, name, before.length + 1);
    expect(deliveries.map((d) => d.item)).toEqual(['while-down']);
    await second.stop();
  });

  it('waits for the handler in flight on stop, then releases the lease', async () => {
    const store = new InMemoryEventStore();
    const hold = gate();
    const entered = gate();
    const name = uniqueName('stop-waits');
    const { deliveries, definition } = recordingHandler({ name }, async () => {
      entered.open();
      await hold.opened;
    });
    await addItems(store, 'x', ['slow']);
    const manager = managerOn(store);
    await manager.start([definition]);
    await entered.opened;

    let stopped = false;
    const stopping = manager.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    hold.open();
    await stopping;
    expect(deliveries.map((d) => d.item)).toEqual(['slow']);
    // The lease was released: another process can take the subscription at once.
    const lease = await store.acquireSubscription(name);
    expect(lease).toBeDefined();
    await lease!.release();
  });

  it('wakes on appends instead of waiting for its poll', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('wake');
    const { definition } = recordingHandler({ name });
    // A poll an hour away: the wait below, however long the machine makes it, can only end by a wake.
    const manager = managerOn(store, { settings: { pollInterval: 3_600_000 } });
    await manager.start([definition]);
    await eventually(() => expect(manager.status(name)?.state).toBe('running'));
    const appended = await addItems(store, 'x', ['soon']);
    await waitForHandler(store, name, appended.globalPosition, { timeout: 60_000 });
    await manager.stop();
  });
});
