import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, managerOn, RecordingLogger, uniqueName, stopAllManagers } from './fixtures/subscription-fixtures.js';

const failOn = (item: string, times = Infinity) => {
  let failures = 0;
  return (event: { item: string }) => {
    if (event.item === item && failures++ < times) throw new Error(`cannot handle ${item}`);
  };
};

describe('error policies', () => {
  afterEach(stopAllManagers);

  it("'retry' retries the same event with doubling delays, then goes on when it succeeds", async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('retry-ok');
    const times: number[] = [];
    const fail = failOn('flaky', 2);
    const { deliveries, attempts, definition } = recordingHandler({ name, errorPolicy: 'retry' }, (event) => {
      if (event.item === 'flaky') times.push(performance.now());
      fail(event);
    });
    const manager = managerOn(store, { settings: { retryDelay: 50, maxAttempts: 5 } });
    await addItems(store, 'x', ['before', 'flaky', 'after']);
    await manager.start([definition]);

    await waitForHandler(store, name, 3);
    expect(attempts.map((a) => a.item)).toEqual(['before', 'flaky', 'flaky', 'flaky', 'after']);
    expect(deliveries.map((d) => d.item)).toEqual(['before', 'flaky', 'after']);
    // Backoff: the attempts are at least 50 ms, then at least 100 ms apart (1 ms timer slack).
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(49);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(99);
    expect(manager.status(name)).toMatchObject({ state: 'running', position: 3, lastError: { message: 'cannot handle flaky', position: 2 } });
    await manager.stop();
  });

  it("'retry' stops the subscription after maxAttempts; other subscriptions keep running", async () => {
    const store = new InMemoryEventStore();
    const failing = recordingHandler({ name: uniqueName('retry-exhausted'), errorPolicy: 'retry' }, failOn('poison'));
    const healthy = recordingHandler({ name: uniqueName('healthy') });
    const logger = new RecordingLogger();
    const manager = managerOn(store, { settings: { maxAttempts: 3 }, logger });
    await addItems(store, 'x', ['fine', 'poison', 'never']);
    await manager.start([failing.definition, healthy.definition]);

    const name = failing.definition.metadata.name;
    await eventually(() => expect(manager.status(name)?.state).toBe('stopped'));
    expect(failing.attempts.map((a) => a.item)).toEqual(['fine', 'poison', 'poison', 'poison']);
    expect(failing.deliveries.map((d) => d.item)).toEqual(['fine']);
    expect(await store.readCheckpoint(name)).toBe(1);
    expect(manager.status(name)).toMatchObject({ position: 1, lastError: { message: 'cannot handle poison', position: 2 } });
    expect(logger.errors.some((line) => line.includes(name) && line.includes('stopped'))).toBe(true);

    const later = await addItems(store, 'y', ['later']);
    await waitForHandler(store, healthy.definition.metadata.name, later.globalPosition);
    expect(healthy.deliveries.map((d) => d.item)).toEqual(['fine', 'poison', 'never', 'later']);
    expect(manager.status(name)?.state).toBe('stopped');
    await manager.stop();
  });

  it("'skip' logs the failure and moves on", async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('skip');
    const { attempts, deliveries, definition } = recordingHandler({ name, errorPolicy: 'skip' }, failOn('bad'));
    const logger = new RecordingLogger();
    const manager = managerOn(store, { logger });
    await addItems(store, 'x', ['good-1', 'bad', 'good-2']);
    await manager.start([definition]);

    await waitForHandler(store, name, 3);
    expect(attempts.map((a) => a.item)).toEqual(['good-1', 'bad', 'good-2']);
    expect(deliveries.map((d) => d.item)).toEqual(['good-1', 'good-2']);
    expect(manager.status(name)).toMatchObject({ state: 'running', lastError: { position: 2 } });
    expect(logger.errors.some((line) => line.includes('cannot handle bad'))).toBe(true);
    await manager.stop();
  });

  it("'stop' halts at the first failure and keeps the subscription from every other process", async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('stop');
    const { attempts, definition } = recordingHandler({ name, errorPolicy: 'stop' }, failOn('bad'));
    const manager = managerOn(store);
    await addItems(store, 'x', ['good', 'bad', 'unreached']);
    await manager.start([definition]);

    await eventually(() => expect(manager.status(name)?.state).toBe('stopped'));
    expect(attempts.map((a) => a.item)).toEqual(['good', 'bad']);
    expect(await store.readCheckpoint(name)).toBe(1);

    // The halted process keeps the lease, so no other process retries the failing event meanwhile.
    expect(await store.acquireSubscription(name)).toBeUndefined();

    const other = recordingHandler({ name }, () => undefined);
    const standby = managerOn(store);
    await standby.start([other.definition]);
    await manager.stop();
    await waitForHandler(store, name, 3);
    expect(other.deliveries.map((d) => d.item)).toEqual(['bad', 'unreached']);
    await standby.stop();
  });

  it('uses the module-wide default policy when the subscription sets none', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('default-skip');
    const { deliveries, definition } = recordingHandler({ name }, failOn('bad'));
    const manager = managerOn(store, { settings: { errorPolicy: 'skip' } });
    await addItems(store, 'x', ['bad', 'good']);
    await manager.start([definition]);
    await waitForHandler(store, name, 2);
    expect(deliveries.map((d) => d.item)).toEqual(['good']);
    await manager.stop();
  });
});
