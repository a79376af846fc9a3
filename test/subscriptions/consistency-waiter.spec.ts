import { randomUUID } from 'node:crypto';
import { ConsistencyTimeoutError, isConsistencyTimeout } from '../../lib/errors/consistency-timeout.error.js';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { LocalPubSub } from '../../lib/pubsub/local/local-pubsub.js';
import { RedisPubSub } from '../../lib/pubsub/redis/redis-pubsub.js';
import { ConsistencyWaiter } from '../../lib/subscriptions/consistency-waiter.js';
import { SubscriptionCatalog } from '../../lib/subscriptions/subscription-catalog.js';
import { sleep } from '../../lib/subscriptions/wake-up.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, gate, managerOn, uniqueName, stopAllManagers } from './fixtures/subscription-fixtures.js';

/** A recheck so rare that only acks can settle a wait within a test. */
const ACKS_ONLY = { recheckInterval: 60_000 };

describe('ConsistencyWaiter', () => {
  afterEach(stopAllManagers);

  it('resolves only once a slow strong projector has handled the position, through its ack', async () => {
    const store = new InMemoryEventStore();
    const pubsub = new LocalPubSub('node');
    const name = uniqueName('slow-projector');
    const { deliveries, definition } = recordingHandler({ name, consistency: 'strong' }, () => sleep(300), 'projector');
    const manager = managerOn(store, { pubsub });
    await manager.start([definition]);

    const appended = await addItems(store, 'x', ['slow']);
    const waiting = new ConsistencyWaiter(store, pubsub, ACKS_ONLY).waitFor([name], appended.globalPosition, 5000);
    expect(deliveries).toEqual([]);
    await waiting;
    expect(deliveries.map((d) => d.item)).toEqual(['slow']);
    await manager.stop();
  });

  it('rejects with ConsistencyTimeoutError naming only the subscriptions still behind', async () => {
    const store = new InMemoryEventStore();
    const pubsub = new LocalPubSub('node');
    const hold = gate();
    const stuck = recordingHandler({ name: uniqueName('stuck'), consistency: 'strong' }, () => hold.opened, 'projector');
    const quick = recordingHandler({ name: uniqueName('quick'), consistency: 'strong' }, () => undefined, 'projector');
    const manager = managerOn(store, { pubsub });
    await manager.start([stuck.definition, quick.definition]);

    const appended = await addItems(store, 'x', ['item']);
    const names = [stuck.definition.metadata.name, quick.definition.metadata.name];
    const error = await new ConsistencyWaiter(store, pubsub).waitFor(names, appended.globalPosition, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsistencyTimeoutError);
    expect(isConsistencyTimeout(error)).toBe(true);
    expect(error).toMatchObject({ pending: [stuck.definition.metadata.name], position: 1, timeoutMs: 300, code: 'CONSISTENCY_TIMEOUT' });
    hold.open();
    await manager.stop();
  });

  it('resolves at once from the stored checkpoint when the ack went by before the wait began', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('done-already');
    const manager = managerOn(store);
    await manager.start([recordingHandler({ name }).definition]);
    const appended = await addItems(store, 'x', ['item']);
    await waitForHandler(store, name, appended.globalPosition);

    await new ConsistencyWaiter(store, new LocalPubSub('elsewhere'), ACKS_ONLY).waitFor([name], appended.globalPosition, 1000);
    await manager.stop();
  });

  it('recovers a lost ack by re-reading the checkpoints', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('lost-ack');
    const manager = managerOn(store);
    await manager.start([recordingHandler({ name }, () => sleep(200)).definition]);
    const appended = await addItems(store, 'x', ['item']);

    // The waiter listens on a pubsub the runner never publishes to: every ack is lost.
    await new ConsistencyWaiter(store, new LocalPubSub('deaf'), { recheckInterval: 50 }).waitFor([name], appended.globalPosition, 3000);
    expect(await store.readCheckpoint(name)).toBeGreaterThanOrEqual(appended.globalPosition);
    await manager.stop();
  });

  it('resolves at once for no names or nothing written', async () => {
    const waiter = new ConsistencyWaiter(new InMemoryEventStore(), new LocalPubSub('node'), ACKS_ONLY);
    await waiter.waitFor([], 10, 0);
    await waiter.waitFor(['anything'], 0, 0);
    await expect(waiter.waitFor(['anything'], 1, 0)).rejects.toBeInstanceOf(ConsistencyTimeoutError);
  });

  it('lists the strong subscriptions among definitions', () => {
    const catalog = new SubscriptionCatalog();
    catalog.set([
      recordingHandler({ name: 'strong-one', consistency: 'strong' }).definition,
      recordingHandler({ name: 'eventual-one' }).definition,
      recordingHandler({ name: 'strong-two', consistency: 'strong' }, () => undefined, 'projector').definition,
    ]);
    expect(catalog.strongNames()).toEqual(['strong-one', 'strong-two']);
  });

  it('keeps only the subscriptions that read what an append wrote: its types, its stream or category', () => {
    const catalog = new SubscriptionCatalog();
    catalog.set([
      recordingHandler({ name: 'all-lists' }).definition,
      recordingHandler({ name: 'list-a', stream: 'list-a' }).definition,
      recordingHandler({ name: 'lists-b', streamPrefix: 'list-b' }).definition,
    ]);
    const names = ['all-lists', 'list-a', 'lists-b', 'elsewhere'];
    const items = ['SubTestItemAdded'];
    expect(catalog.relevant(names, { streamId: 'list-a', eventTypes: items })).toEqual(['all-lists', 'list-a', 'elsewhere']);
    expect(catalog.relevant(names, { streamId: 'list-b-2', eventTypes: items })).toEqual(['all-lists', 'lists-b', 'elsewhere']);
    // No subscription here handles notes: only the name this catalog does not know is kept.
    expect(catalog.relevant(names, { streamId: 'list-a', eventTypes: ['SubTestNoteWritten'] })).toEqual(['elsewhere']);
    // What was written is unknown (a result from an older node): every name is kept.
    expect(catalog.relevant(names, { streamId: 'list-a' })).toEqual(names);
  });

  it('receives acks from a runner on another node through Redis', async () => {
    const store = new InMemoryEventStore();
    // A channel prefix of this test's own, so parallel runs never hear each other's acks.
    const prefix = `sub-test-${randomUUID()}:`;
    const runnerNode = new RedisPubSub(`runner-${randomUUID()}`, { host: '127.0.0.1', port: 6379 }, prefix);
    const waiterNode = new RedisPubSub(`waiter-${randomUUID()}`, { host: '127.0.0.1', port: 6379 }, prefix);
    await Promise.all([runnerNode.init(), waiterNode.init()]);
    try {
      expect(runnerNode.status().connected && waiterNode.status().connected).toBe(true);
      const name = uniqueName('over-redis');
      const manager = managerOn(store, { pubsub: runnerNode });
      await manager.start([recordingHandler({ name, consistency: 'strong' }, () => sleep(200), 'projector').definition]);
      const appended = await addItems(store, 'x', ['item']);
      await new ConsistencyWaiter(store, waiterNode, ACKS_ONLY).waitFor([name], appended.globalPosition, 5000);
      await manager.stop();
    } finally {
      await Promise.all([runnerNode.close(), waiterNode.close()]);
    }
  });
});
