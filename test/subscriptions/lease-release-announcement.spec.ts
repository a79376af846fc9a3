import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { LocalPubSub } from '../../lib/pubsub/local/local-pubsub.js';
import { PubSubChannels } from '../../lib/pubsub/pubsub.interface.js';
import { RedisPubSub } from '../../lib/pubsub/redis/redis-pubsub.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

/** Far longer than any wait below: a standby that takes over can only have been told. */
const LOCK_RETRY_INTERVAL = 3_600_000;
const settings = { lockRetryInterval: LOCK_RETRY_INTERVAL };

describe('lease release announcement', () => {
  const opened: RedisPubSub[] = [];
  /** A node's pubsub on the real Redis, on a channel prefix of this test's own. */
  const redisNode = async (prefix: string) => {
    const pubsub = new RedisPubSub(`node-${randomUUID().slice(0, 8)}`, { host: '127.0.0.1', port: 6379 }, prefix);
    opened.push(pubsub);
    await pubsub.init();
    return pubsub;
  };

  afterEach(async () => {
    await stopAllManagers();
    await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
  });

  it('lets a standby on another node take over as soon as the holder stops, long before its next retry', async () => {
    const store = new InMemoryEventStore();
    const prefix = `${randomUUID()}:`;
    const [pubsubA, pubsubB] = [await redisNode(prefix), await redisNode(prefix)];
    const name = uniqueName('announced');
    const first = recordingHandler({ name });
    const second = recordingHandler({ name });
    const announcements: unknown[] = [];
    pubsubB.subscribe(PubSubChannels.leaseReleased, (message) => announcements.push(message));
    const managerA = managerOn(store, { pubsub: pubsubA, settings });
    const managerB = managerOn(store, { pubsub: pubsubB, settings });
    await managerA.start([first.definition]);
    await eventually(() => expect(managerA.status(name)?.state).toBe('running'));
    await managerB.start([second.definition]);
    // Subscribing on Redis takes a moment: B listens once it hears a probe on the channel.
    await eventually(async () => {
      await pubsubA.publish(PubSubChannels.leaseReleased, { name: 'probe' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(announcements).toContainEqual({ name: 'probe' });
    });
    announcements.length = 0;
    await waitForHandler(store, name, (await addItems(store, 'x', ['before'])).globalPosition);
    expect(managerB.status(name)?.state).toBe('standby');

    await managerA.stop();
    await eventually(() => expect(managerB.status(name)?.state).toBe('running'), { timeout: 60_000 });
    await waitForHandler(store, name, (await addItems(store, 'x', ['after'])).globalPosition);
    expect(second.deliveries.map((d) => d.item)).toEqual(['after']);
    expect(announcements).toEqual([{ name }]);
  });

  it('leaves a standby that hears nothing waiting for its next retry', async () => {
    const store = new InMemoryEventStore();
    const prefix = `${randomUUID()}:`;
    const name = uniqueName('unannounced');
    const first = recordingHandler({ name });
    const second = recordingHandler({ name });
    // A announces on a pubsub of its own; B listens on Redis, where only C speaks.
    const pubsubA = new LocalPubSub('node-a');
    const [pubsubB, pubsubC] = [await redisNode(prefix), await redisNode(prefix)];
    const heardByB: unknown[] = [];
    pubsubB.subscribe(PubSubChannels.leaseReleased, (message) => heardByB.push(message));
    const announced = new Promise((resolve) => pubsubA.subscribe(PubSubChannels.leaseReleased, resolve));
    const managerA = managerOn(store, { pubsub: pubsubA, settings });
    const managerB = managerOn(store, { pubsub: pubsubB, settings });
    await managerA.start([first.definition]);
    await eventually(() => expect(managerA.status(name)?.state).toBe('running'));
    await managerB.start([second.definition]);
    await eventually(async () => {
      await pubsubC.publish(PubSubChannels.leaseReleased, { name: 'probe' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heardByB).toContainEqual({ name: 'probe' });
    });

    await managerA.stop();
    expect(await announced).toEqual({ name });
    expect(managerB.status(name)?.state).toBe('standby');
    // The lease is free: the same announcement, once it reaches B, hands it over.
    await pubsubC.publish(PubSubChannels.leaseReleased, { name });
    await eventually(() => expect(managerB.status(name)?.state).toBe('running'));
    expect(heardByB).toEqual([{ name: 'probe' }, { name }]);
  });
});
