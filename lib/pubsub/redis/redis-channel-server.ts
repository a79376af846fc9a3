import { ServerRedis } from '@nestjs/microservices';
import { MutedLogger } from '../../util/muted-logger.js';

/** Receives the `data` of an event emitted on a channel. */
export type ChannelListener = (data: unknown) => void;

type Subscriber = {
  connect(): Promise<unknown>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: 'ready' | 'message', listener: (...args: never[]) => unknown): unknown;
};

/**
 * Nest's Redis server, used standalone, with channels added and removed while it runs (the base
 * class subscribes only to the handlers known when it starts listening).
 */
export class RedisChannelServer extends ServerRedis {
  protected override readonly logger = new MutedLogger();
  private bound = false;

  /** Routes events on `channel` to `listener`, replacing any previous listener of that channel. */
  listenOn(channel: string, listener: ChannelListener): void {
    this.messageHandlers.delete(channel);
    this.addHandler(channel, async (data: unknown) => listener(data), true);
    if (this.bound) this.ensureSubscribed([channel]);
  }

  /** Stops receiving `channel`. */
  stopListening(channel: string): void {
    this.messageHandlers.delete(channel);
    if (this.bound)
      this.subscriber()
        .unsubscribe(channel)
        .catch(() => undefined);
  }

  /**
   * Binds at once rather than after the first connection: the node keeps working while Redis is
   * unreachable, and ioredis keeps retrying in the background.
   */
  override start(callback?: () => void): void {
    Promise.all([this.subscriber().connect(), (this.pubClient as Subscriber).connect()]).catch(() => undefined);
    this.bindEvents(this.subClient, this.pubClient);
    callback?.();
  }

  /**
   * Nest's own binding sends a SUBSCRIBE per known channel and drops the promise: while Redis has
   * never answered, closing rejects it unhandled ("Connection is closed") and kills the process.
   * Here every SUBSCRIBE goes through {@link ensureSubscribed}, which absorbs that rejection.
   */
  override bindEvents(subClient: unknown, pubClient: unknown): void {
    const subscriber = subClient as Subscriber;
    subscriber.on('message', this.getMessageHandler(pubClient));
    this.bound = true;
    this.ensureSubscribed([...this.messageHandlers.keys()]);
    // ioredis re-subscribes only to channels whose SUBSCRIBE succeeded; one sent during an
    // outage may have failed, so every reconnection subscribes to all channels again.
    subscriber.on('ready', () => this.ensureSubscribed([...this.messageHandlers.keys()]));
  }

  private ensureSubscribed(channels: string[]): void {
    if (channels.length)
      this.subscriber()
        .subscribe(...channels)
        .catch(() => undefined);
  }

  private subscriber(): Subscriber {
    return this.subClient as Subscriber;
  }
}
