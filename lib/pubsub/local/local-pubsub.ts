import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { deliverIsolated } from '../isolated-delivery.js';
import type { PubSub, PubSubHandler, PubSubStatus } from '../pubsub.interface.js';

/** In-process pubsub: the single-node default. Delivery is asynchronous, like a real transport. */
export class LocalPubSub implements PubSub {
  private readonly logger = new Logger('LocalPubSub');
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly since = new Date();

  constructor(readonly nodeName: string) {}

  async init(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }

  async publish<T>(channel: string, message: T): Promise<void> {
    queueMicrotask(() => deliverIsolated(this.logger, channel, this.emitter.listeners(channel) as PubSubHandler<unknown>[], message, this.nodeName));
  }

  subscribe<T>(channel: string, handler: PubSubHandler<T>): () => void {
    // A wrapper per call, so that unsubscribing twice, or a handler subscribed twice, removes exactly one subscription.
    const listener: PubSubHandler<T> = (message, from) => handler(message, from);
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  status(): PubSubStatus {
    return { transport: 'local', connected: true, since: this.since };
  }
}
