import { Transport } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { isInvalidOptions } from '../../lib/errors/invalid-options.error.js';
import { createPubSub } from '../../lib/event-sourcing.adapters.js';
import { LocalPubSub } from '../../lib/pubsub/local/local-pubsub.js';
import { RedisPubSub } from '../../lib/pubsub/redis/redis-pubsub.js';
import { captureLogs, type LogLine } from '../harness/captured-logs.js';
import { killAllChildren } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { freePort } from '../harness/free-port.js';
import { startRedisServer } from '../harness/redis-server.js';
import { describePubSubConformance } from './pubsub-conformance.js';

const REDIS = { host: '127.0.0.1', port: 6379 };

interface Received {
  message: { id: string };
  from: string;
}

const channelName = () => `test.redis-pubsub.${randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes and records every delivery. */
function inbox(pubsub: RedisPubSub, channel: string): Received[] & { unsubscribe: () => void } {
  const received: Received[] = [];
  const unsubscribe = pubsub.subscribe<{ id: string }>(channel, (message, from) => received.push({ message, from }));
  return Object.assign(received, { unsubscribe });
}

/**
 * Publishes `id` until `into` has it. Subscribing is asynchronous and pub/sub keeps nothing for
 * a subscriber that is not there yet, so a single publish could race the SUBSCRIBE.
 */
async function deliver(sender: RedisPubSub, channel: string, into: Received[], id: string = randomUUID()): Promise<string> {
  await eventually(async () => {
    await sender.publish(channel, { id });
    await sleep(50);
    expect(into.map((r) => r.message.id)).toContain(id);
  });
  return id;
}

const opened: RedisPubSub[] = [];
async function open(nodeName: string, options: { host: string; port: number }, channelPrefix?: string): Promise<RedisPubSub> {
  const pubsub = new RedisPubSub(nodeName, options, channelPrefix);
  opened.push(pubsub);
  await pubsub.init();
  return pubsub;
}

const logged = (lines: LogLine[], level: LogLine['level'], text: string) =>
  lines.some((line) => line.level === level && line.context === 'RedisPubSub' && line.message.includes(text));

beforeAll(async () => {
  const probe = new Redis({ ...REDIS, lazyConnect: true, retryStrategy: () => null });
  await probe.connect().catch((error: unknown) => {
    throw new Error(`These tests need Redis at ${REDIS.host}:${REDIS.port}: ${String(error)}`);
  });
  await probe.quit();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
  await killAllChildren();
});

describePubSubConformance('redis', 'redis', async () => {
  // A prefix of its own keeps these nodes apart from any other application on the same Redis.
  const prefix = `conformance-${randomUUID()}:`;
  const nodes = [new RedisPubSub('node-a', REDIS, prefix), new RedisPubSub('node-b', REDIS, prefix)];
  await Promise.all(nodes.map((node) => node.init()));
  return { nodes, dispose: async () => void (await Promise.all(nodes.map((node) => node.close()))) };
});

describe('RedisPubSub', () => {
  it('keeps applications with different channel prefixes apart', async () => {
    const [shop, bank, bank2] = [await open('shop', REDIS, 'shop:'), await open('bank', REDIS, 'bank:'), await open('bank-2', REDIS, 'bank:')];
    const channel = channelName();
    const [atShop, atBank2] = [inbox(shop, channel), inbox(bank2, channel)];
    await deliver(bank, channel, atBank2);
    await deliver(shop, channel, atShop, 'from-shop');
    // Redis runs commands one at a time, so a later message that bank-2 hears proves shop's went everywhere it would go.
    await deliver(bank, channel, atBank2, 'after-shop');
    expect(atShop.map((r) => r.from)).not.toContain('bank');
    expect(atBank2.map((r) => r.from)).not.toContain('shop');
  });

  it('delivers between two nodes with the sender named in from', async () => {
    const [a, b] = [await open('node-a', REDIS), await open('node-b', REDIS)];
    const channel = channelName();
    const [atA, atB] = [inbox(a, channel), inbox(b, channel)];

    const fromA = await deliver(a, channel, atB);
    const fromB = await deliver(b, channel, atA);

    expect(atB.find((r) => r.message.id === fromA)?.from).toBe('node-a');
    expect(atA.find((r) => r.message.id === fromB)?.from).toBe('node-b');
    // The sender hears its own message too, named as itself, so it can ignore its echo.
    await eventually(() => expect(atA.find((r) => r.message.id === fromA)?.from).toBe('node-a'));
  });

  it('stops delivering to a handler once unsubscribed, and leaves the channel when none is left', async () => {
    const [a, b] = [await open('node-a', REDIS), await open('node-b', REDIS)];
    const channel = channelName();
    const [kept, dropped] = [inbox(b, channel), inbox(b, channel)];
    await deliver(a, channel, dropped);
    await deliver(a, channel, kept);

    dropped.unsubscribe();
    const before = dropped.length;
    const after = await deliver(a, channel, kept);
    expect(dropped.length).toBe(before);
    expect(dropped.map((r) => r.message.id)).not.toContain(after);

    kept.unsubscribe();
    const observer = new Redis({ ...REDIS });
    try {
      await eventually(async () => expect(await observer.pubsub('NUMSUB', channel)).toEqual([channel, 0]));
    } finally {
      await observer.quit();
    }
  });

  it('delivers to every subscription of the same function, like the local pubsub', async () => {
    const a = await open('node-a', REDIS);
    const channel = channelName();
    const calls: string[] = [];
    const handler = (message: { id: string }) => calls.push(message.id);
    a.subscribe(channel, handler);
    a.subscribe(channel, handler);
    const probe = inbox(a, channel);
    const id = await deliver(a, channel, probe);
    await eventually(() => expect(calls.filter((c) => c === id)).toHaveLength(2));
  });

  it('keeps delivering to the other handlers when one throws or rejects, and logs the failure', async () => {
    const logs = captureLogs();
    try {
      const a = await open('node-a', REDIS);
      const channel = channelName();
      a.subscribe(channel, () => {
        throw new Error('sync handler failure');
      });
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a handler whose promise rejects is the case under test
      a.subscribe(channel, async () => {
        throw new Error('async handler failure');
      });
      await deliver(a, channel, inbox(a, channel));
      await eventually(() => {
        expect(logged(logs.lines, 'error', 'sync handler failure')).toBe(true);
        expect(logged(logs.lines, 'error', 'async handler failure')).toBe(true);
      });
    } finally {
      logs.restore();
    }
  });

  it('reports its status for health checks', async () => {
    const before = new Date();
    const a = await open('node-a', REDIS);
    const status = a.status();
    expect(status).toEqual({ transport: 'redis', connected: true, since: expect.any(Date) });
    expect(status.since.getTime()).toBeGreaterThanOrEqual(before.getTime());
    await a.close();
    expect(a.status().connected).toBe(false);
  });

  it('survives Redis dying and coming back, without restarting the pubsub', async () => {
    const logs = captureLogs();
    try {
      const redis = await startRedisServer();
      const options = { host: '127.0.0.1', port: redis.port };
      const [a, b] = [await open('node-a', options), await open('node-b', options)];
      const channel = channelName();
      const atB = inbox(b, channel);
      await deliver(a, channel, atB);
      expect(logged(logs.lines, 'log', `Connected to Redis at 127.0.0.1:${redis.port}`)).toBe(true);
      const connectedSince = a.status().since;

      await redis.kill();
      await eventually(() => expect([a.status().connected, b.status().connected]).toEqual([false, false]));
      expect(a.status().since.getTime()).toBeGreaterThan(connectedSince.getTime());
      await expect(a.publish(channel, { id: 'lost' })).resolves.toBeUndefined();
      expect(logged(logs.lines, 'warn', `Disconnected from Redis at 127.0.0.1:${redis.port}`)).toBe(true);
      expect(logged(logs.lines, 'warn', `Dropped a message on '${channel}'`)).toBe(true);

      await redis.restart();
      await eventually(() => expect([a.status().connected, b.status().connected]).toEqual([true, true]));
      const afterOutage = await deliver(a, channel, atB);
      expect(atB.find((r) => r.message.id === afterOutage)?.from).toBe('node-a');
      expect(atB.map((r) => r.message.id)).not.toContain('lost');
      expect(logged(logs.lines, 'log', `Reconnected to Redis at 127.0.0.1:${redis.port}`)).toBe(true);
    } finally {
      logs.restore();
    }
  });

  it('starts while Redis is unreachable and connects when it appears', async () => {
    const port = await freePort();
    const a = await open('node-a', { host: '127.0.0.1', port });
    expect(a.status().connected).toBe(false);
    const channel = channelName();
    const atA = inbox(a, channel);

    // Nothing is published before Redis appears: the connections must come up on their own.
    await startRedisServer(port);
    await eventually(() => expect(a.status().connected).toBe(true));
    await deliver(a, channel, atA);
  });

  it('closes promptly while Redis is down', async () => {
    const redis = await startRedisServer();
    const a = await open('node-a', { host: '127.0.0.1', port: redis.port });
    await redis.kill();
    await eventually(() => expect(a.status().connected).toBe(false));
    // Queues a SUBSCRIBE that cannot be sent; closing must not wait for Redis to take it.
    inbox(a, channelName());
    await a.close();
    expect(a.status().connected).toBe(false);
  });
});

describe('createPubSub', () => {
  it('builds the local and Redis transports', async () => {
    expect(await createPubSub('local', 'n')).toBeInstanceOf(LocalPubSub);
    const redis = await createPubSub({ transport: Transport.REDIS, options: REDIS }, 'n');
    expect(redis).toBeInstanceOf(RedisPubSub);
    expect(redis.nodeName).toBe('n');
  });

  it('refuses the global pubsub and other transports with a clear error', async () => {
    const global = await createPubSub('global', 'n').catch((error: unknown) => error);
    expect(isInvalidOptions(global)).toBe(true);
    expect((global as Error).message).toContain('cluster mode');
    const nats = await createPubSub({ transport: Transport.NATS } as never, 'n').catch((error: unknown) => error);
    expect(isInvalidOptions(nats)).toBe(true);
    expect((nats as Error).message).toContain('is not supported');
  });
});
