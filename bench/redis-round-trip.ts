import { Redis } from 'ioredis';

/**
 * B5's raw cross-node baseline: a PUBLISH on one connection until the message arrives on a
 * subscribed one, on a channel of this run's own.
 */
export class RedisRoundTrip {
  private waiting?: { payload: string; resolve: () => void };
  private sequence = 0;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    subscriber.on('message', (_channel: string, payload: string) => {
      if (payload === this.waiting?.payload) this.waiting.resolve();
    });
  }

  /** Connects both sides; fails loudly when Redis does not answer. */
  static async connect(url: string, channel: string): Promise<RedisRoundTrip> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(channel);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new Error(`This scenario needs Redis at ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return new RedisRoundTrip(publisher, subscriber, channel);
  }

  /** Publishes one message and resolves when it comes back. */
  once(): Promise<void> {
    const payload = String(++this.sequence);
    const arrived = new Promise<void>((resolve) => (this.waiting = { payload, resolve }));
    return Promise.all([arrived, this.publisher.publish(this.channel, payload)]).then(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }
}
