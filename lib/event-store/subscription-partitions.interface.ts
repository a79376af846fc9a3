import type { SubscriptionLease } from './subscription-lease.interface.js';

/**
 * Subscriptions spread over nodes: their partitions, each a subscription row of its own (checkpoint,
 * epoch, lease, parked events), and the nodes sharing each one. Stores shared by processes (SQL)
 * have it; the memory store does not.
 */
export interface SubscriptionPartitions {
  /**
   * Splits subscription `lease.name` into `count` partitions, in one transaction fenced by `lease`
   * (the subscription's own lease, so no process delivers it whole meanwhile): each partition starts
   * from the subscription's checkpoint (or `start` when later) and its finished positions, and its
   * parked events move to their partitions. Does nothing more when it is split into `count` already;
   * refuses another count with `PartitionLayoutError`, writing nothing.
   */
  split(lease: SubscriptionLease, count: number, start: number): Promise<void>;
  /**
   * Records that `node` runs spread subscription `name` now, and returns the nodes that did within
   * `timeoutMs` (by the store's clock), sorted, `node` included.
   */
  heartbeat(name: string, node: string, timeoutMs: number): Promise<string[]>;
  /** Stops counting `node` at once (it stops cleanly). */
  leave(name: string, node: string): Promise<void>;
}
