import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, gate, managerOn, RecordingLogger, uniqueName, stopAllManagers, keepLeases } from './fixtures/subscription-fixtures.js';

describe('one runner per subscription', () => {
  afterEach(stopAllManagers);

  it('runs a subscription in exactly one of two managers sharing a store; the other takes over when it stops', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('shared');
    const first = recordingHandler({ name });
    const second = recordingHandler({ name });
    const managerA = managerOn(store);
    const managerB = managerOn(store);
    await managerA.start([first.definition]);
    await eventually(() => expect(managerA.status(name)?.state).toBe('running'));
    await managerB.start([second.definition]);

    const early = await addItems(store, 'x', ['e1', 'e2', 'e3']);
    await waitForHandler(store, name, early.globalPosition);
    expect(managerB.status(name)?.state).toBe('standby');
    expect(first.deliveries.map((d) => d.item)).toEqual(['e1', 'e2', 'e3']);
    expect(second.attempts).toEqual([]);

    await managerA.stop();
    await eventually(() => expect(managerB.status(name)?.state).toBe('running'), { timeout: 60_000 });
    const late = await addItems(store, 'x', ['l1', 'l2']);
    await waitForHandler(store, name, late.globalPosition);
    expect(second.deliveries.map((d) => d.item)).toEqual(['l1', 'l2']);
    expect(first.deliveries).toHaveLength(3);
    await managerB.stop();
  });

  it('stops delivering at once when the lease is lost, never moves the checkpoint after, and resumes from it', async () => {
    const store = keepLeases(new InMemoryEventStore());
    const name = uniqueName('lost');
    const hold = gate();
    const entered = gate();
    const { attempts, deliveries, definition } = recordingHandler({ name }, async (event) => {
      if (event.item !== 'first' || attempts.length > 1) return;
      entered.open();
      await hold.opened;
    });
    const logger = new RecordingLogger();
    const manager = managerOn(store, { logger });
    await addItems(store, 'x', ['first', 'second', 'third']);
    await manager.start([definition]);
    await entered.opened;

    await store.granted[0].release();
    const intruder = await store.acquireSubscription(name);
    expect(intruder).toBeDefined();
    hold.open();
    await eventually(() => expect(manager.status(name)?.state).toBe('standby'));
    expect(deliveries.map((d) => d.item)).toEqual(['first']);
    expect(attempts.map((a) => a.item)).toEqual(['first']);
    expect(await store.readCheckpoint(name)).toBe(0);
    expect(logger.warnings.some((line) => line.includes(name) && line.includes('no longer held'))).toBe(true);

    await intruder!.release();
    await waitForHandler(store, name, 3);
    expect(attempts.map((a) => a.item)).toEqual(['first', 'first', 'second', 'third']);
    await manager.stop();
  });
});
