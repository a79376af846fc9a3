import type { SubscriptionPartitions } from '../../event-store/subscription-partitions.interface.js';

/** The nodes that share spread subscriptions, as this node sees them. */
export interface SpreadMembership {
  /** This node's name among the members. */
  readonly self: string;
  /** The nodes running spread subscription `name` now, this one included; called every `lockRetryInterval`. */
  live(name: string): Promise<readonly string[]>;
  /** This node stops running `name` cleanly: the others need not wait for it to time out. */
  leave(name: string): Promise<void>;
}

/** Token of a {@link SpreadMembership} provider (cluster mode); without one, nodes find each other through the store. */
export const SpreadMembership = Symbol('SpreadMembership');

/** Independent nodes: a heartbeat per node and subscription in the store; a node is live while its last one is within `timeoutMs`. */
export class StoreSpreadMembership implements SpreadMembership {
  constructor(
    private readonly partitions: SubscriptionPartitions,
    readonly self: string,
    private readonly timeoutMs: number,
  ) {}

  live(name: string): Promise<readonly string[]> {
    return this.partitions.heartbeat(name, this.self, this.timeoutMs);
  }

  leave(name: string): Promise<void> {
    return this.partitions.leave(name, this.self);
  }
}
