import { type PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';

/** What travels on {@link PubSubChannels}.leaseReleased. */
export interface LeaseReleased {
  /** The subscription whose lease is free. */
  name: string;
}

/**
 * Tells the standbys on other nodes that this node gave subscription `name` up, so one of them
 * takes it over now instead of at its next `lockRetryInterval`. Best effort: when the message is
 * lost, a standby still takes over at its next retry.
 */
export function announceRelease(pubsub: PubSub, name: string): Promise<void> {
  return pubsub.publish<LeaseReleased>(PubSubChannels.leaseReleased, { name });
}

/** Calls `retry(name)` when another node announces it released subscription `name`; returns an unsubscribe function. */
export function onLeaseReleased(pubsub: PubSub, retry: (name: string) => void): () => void {
  return pubsub.subscribe<Partial<LeaseReleased>>(PubSubChannels.leaseReleased, (message, from) => {
    if (from !== pubsub.nodeName && typeof message?.name === 'string') retry(message.name);
  });
}
