import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { ClusterNode } from '../../cluster/cluster-node.js';
import { deliverIsolated } from '../isolated-delivery.js';
import type { PubSub, PubSubHandler, PubSubStatus } from '../pubsub.interface.js';

/** Event pattern carrying a published message between nodes. */
const PUBLISH_PATTERN = 'es.cluster.publish';

interface WireMessage {
  channel: string;
  message: unknown;
  from: string;
}

/**
 * Pub/sub over the cluster's TCP links (`pubsub: 'global'`): a message goes to every live member,
 * this node included, as an event without answer. Best effort like the other transports: a peer
 * that is down misses it, and readers fall back on polling the store.
 */
export class ClusterPubSub implements PubSub {
  private readonly logger = new Logger('ClusterPubSub');
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private since = new Date();
  private wasConnected = false;

  constructor(private readonly node: ClusterNode) {
    node.handle(PUBLISH_PATTERN, (wire: WireMessage) => this.deliver(wire), true);
  }

  get nodeName(): string {
    return this.node.name;
  }

  /** The transport starts with the cluster node; until then messages stay on this node. */
  async init(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }

  async publish<T>(channel: string, message: T): Promise<void> {
    const wire: WireMessage = { channel, message, from: this.node.name };
    queueMicrotask(() => this.deliver(wire));
    for (const peer of this.node.peers()) this.node.transport.emit(peer.address, PUBLISH_PATTERN, wire);
  }

  subscribe<T>(channel: string, handler: PubSubHandler<T>): () => void {
    const entry = (message: T, from: string) => handler(message, from);
    this.emitter.on(channel, entry);
    return () => this.emitter.off(channel, entry);
  }

  status(): PubSubStatus {
    const connected = this.node.transport.address !== undefined;
    if (connected !== this.wasConnected) {
      this.wasConnected = connected;
      this.since = new Date();
    }
    return { transport: 'global', connected, since: this.since };
  }

  private deliver(wire: WireMessage): void {
    deliverIsolated(this.logger, wire.channel, this.emitter.listeners(wire.channel) as PubSubHandler<unknown>[], wire.message, wire.from);
  }
}
