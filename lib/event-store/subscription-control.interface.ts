/**
 * Where a reset moves a subscription's checkpoint: the start, the store's head now, a global
 * position, or a point in time (just before the first event recorded at or after it).
 */
export type ResetTarget = 'origin' | 'current' | number | Date;

/** A subscription's stored state, as operators see it from any node. */
export interface SubscriptionControlState {
  name: string;
  /** Last acknowledged global position. */
  position: number;
  /** Fence of the current owner; every reset, restart and takeover raises it. */
  epoch: number;
  /** A paused subscription is not delivered by any node until resumed, restarts included. */
  paused: boolean;
  /** Node that took the subscription last (its pubsub `nodeName`); null when none holds it. */
  owner: string | null;
  /** Position a requested reset moves the checkpoint to, until an owner has carried it out; else null. */
  resetTo: number | null;
  updatedAt: Date;
  /**
   * Set on a subscription spread over nodes: how many partitions it is split into. Its `position`
   * is then the lowest of its partitions' checkpoints (every event at or below it is handled).
   */
  partitions?: number;
  /** Set on one partition of a spread subscription: that subscription's name. */
  partitionOf?: string;
}

/**
 * Operator requests on subscriptions, recorded in the store so they reach the owner wherever it
 * runs (it polls this state; a pubsub message only makes it look sooner), and usable by a tool
 * holding nothing but the store. Every method refuses a name the store has no record of with
 * `UnknownSubscriptionError`, and bad arguments with `InvalidControlRequestError`, writing nothing.
 */
export interface SubscriptionControl {
  /**
   * Asks for the checkpoint to move to `to` (`'current'` is resolved to the head now). Raises the
   * epoch, so the current owner can no longer write a checkpoint or a transactional read-model
   * change; the next owner runs the projector's `@BeforeReset` and moves the checkpoint in one transaction.
   */
  requestReset(name: string, to: ResetTarget): Promise<SubscriptionControlState>;
  /** Raises the epoch: the owner starts over from its checkpoint; a halted subscription retries. */
  requestRestart(name: string): Promise<SubscriptionControlState>;
  /** Pauses or resumes delivery; the pause is kept until resumed, across restarts. */
  setPaused(name: string, paused: boolean): Promise<SubscriptionControlState>;
  /** The stored state of one subscription, or undefined when it never ran on this store. */
  readControl(name: string): Promise<SubscriptionControlState | undefined>;
  /** Every subscription's stored state, by name (the partitions of a spread subscription after it). */
  listControl(): Promise<SubscriptionControlState[]>;
}
