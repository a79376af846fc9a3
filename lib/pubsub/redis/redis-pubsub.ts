import { Logger } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import type { RedisPubSubOptions } from './redis-pubsub.options.js';
import { deliverIsolated } from '../isolated-delivery.js';
import type { PubSub, PubSubHandler, PubSubStatus } from '../pubsub.interface.js';
import { RedisChannelServer } from './redis-channel-server.js';
import { type MonitoredConnection, RedisConnectionMonitor } from './redis-connection-monitor.js';
import { RedisPublisherClient } from './redis-publisher-client.js';
import { listenServer } from '../../util/listen-server.js';

/** What travels on a channel: the payload and the name of the node that sent it. */
interface Envelope {
  from: string;
  message: unknown;
}

const isEnvelope = (data: unknown): data is Envelope =>
  typeof data === 'object' && data !== null && typeof (data as Envelope).from === 'string' && 'message' in data;

/**
 * Transport settings applied unless the user sets them: reconnect forever, twice a second; and
 * on close, wait at most half a second for a socket to a vanished server (ioredis waits 2 s).
 */
const DEFAULTS = { host: 'localhost', port: 6379, retryAttempts: Infinity, retryDelay: 500, disconnectTimeout: 500 };

/** A publish gives up after this long (unless `commandTimeout` is set), so a frozen Redis cannot stall the caller. */
const PUBLISH_TIMEOUT_MS = 1000;

/** How long `init` waits for Redis before letting the node start without it. */
const STARTUP_WAIT_MS = 3000;

/** Connections held: the publisher's pair and the receiver's pair. */
const CONNECTIONS = 4;

/**
 * Pub/sub between nodes through Redis, on `@nestjs/microservices`' Redis transport: a
 * `ClientRedis` emits, a `ServerRedis` receives. Best effort, like Redis pub/sub itself: while
 * disconnected, published messages are dropped (and counted) and nothing is received; both
 * transports reconnect on their own and subscriptions resume.
 */
export class RedisPubSub implements PubSub {
  private readonly logger = new Logger('RedisPubSub');
  private readonly client: RedisPublisherClient;
  private readonly server: RedisChannelServer;
  private readonly monitor: RedisConnectionMonitor;
  private readonly handlers = new Map<string, Set<PubSubHandler<unknown>>>();

  constructor(
    readonly nodeName: string,
    options: RedisPubSubOptions['options'] = {},
    private readonly channelPrefix = '',
  ) {
    const transport = { ...DEFAULTS, ...options, wildcards: false };
    this.server = new RedisChannelServer(transport);
    // Without the offline queue a publish fails at once while disconnected instead of waiting.
    this.client = new RedisPublisherClient({ commandTimeout: PUBLISH_TIMEOUT_MS, ...transport, enableOfflineQueue: false });
    this.monitor = new RedisConnectionMonitor(
      this.logger,
      `${transport.host}:${transport.port}`,
      transport.retryDelay,
      () => this.connections(),
      CONNECTIONS,
    );
    for (const side of [this.client, this.server]) {
      for (const event of ['ready', 'close', 'end'] as const) side.on(event, () => this.monitor.update());
      side.on('error', (_side: string, error: Error) => this.monitor.recordError(error));
    }
  }

  async init(): Promise<void> {
    await listenServer(this.server);
    this.client.connect().catch((error: unknown) => this.monitor.recordError(error));
    if (!(await this.monitor.waitConnected(STARTUP_WAIT_MS))) {
      this.logger.warn(`Starting without Redis as node '${this.nodeName}'; it keeps retrying in the background`);
    }
  }

  async close(): Promise<void> {
    this.monitor.close();
    this.handlers.clear();
    await Promise.allSettled([this.client.close(), this.server.close()]);
  }

  async publish<T>(channel: string, message: T): Promise<void> {
    const envelope: Envelope = { from: this.nodeName, message };
    try {
      await lastValueFrom(this.client.emit(this.channelPrefix + channel, envelope), { defaultValue: undefined });
    } catch (error) {
      this.monitor.recordDrop(channel, error);
    }
  }

  subscribe<T>(name: string, handler: PubSubHandler<T>): () => void {
    const channel = this.channelPrefix + name;
    let channelHandlers = this.handlers.get(channel);
    if (!channelHandlers) {
      channelHandlers = new Set();
      this.handlers.set(channel, channelHandlers);
      this.server.listenOn(channel, (data) => this.deliver(channel, data));
    }
    // A wrapper per call, so subscribing the same function twice gives two deliveries, as locally.
    const entry: PubSubHandler<unknown> = (message, from) => handler(message as T, from);
    channelHandlers.add(entry);
    const handlers = channelHandlers;
    return () => {
      handlers.delete(entry);
      if (handlers.size || this.handlers.get(channel) !== handlers) return;
      this.handlers.delete(channel);
      this.server.stopListening(channel);
    };
  }

  status(): PubSubStatus {
    return { transport: 'redis', connected: this.monitor.connected, since: this.monitor.since };
  }

  private deliver(channel: string, data: unknown): void {
    if (!isEnvelope(data)) {
      this.logger.warn(`Ignored a message on '${channel}' that was not sent by a RedisPubSub`);
      return;
    }
    deliverIsolated(this.logger, channel, this.handlers.get(channel) ?? [], data.message, data.from);
  }

  private connections(): MonitoredConnection[] {
    try {
      return [...this.client.unwrap<MonitoredConnection[]>(), ...this.server.unwrap<MonitoredConnection[]>()];
    } catch {
      return [];
    }
  }
}
