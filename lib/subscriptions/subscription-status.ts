import type { SubscriptionKind } from '../decorators/subscription-options.js';
import type { UnreadableEvent } from '../events/unreadable-events.js';

/**
 * `standby`: waiting for ownership (another process runs it, or it is being acquired);
 * `running`: owned here and delivering; `paused`: owned here, not delivering until resumed;
 * `stopped`: halted by its error policy, a failed reset, or shutdown.
 */
export type SubscriptionState = 'standby' | 'running' | 'paused' | 'stopped';

/** The failure that last hit a subscription's handler. */
export interface SubscriptionFailure {
  message: string;
  /** Global position of the event that failed. */
  position: number;
  at: Date;
}

/** One partition of a spread subscription, as this node sees it. */
export interface PartitionStatus {
  index: number;
  /** `running` (or `paused`, `stopped`) on the node holding it; `standby` on the others. */
  state: SubscriptionState;
  /** Its checkpoint: acknowledged here when held, else the one its holder stored, as last read. */
  position: number;
}

/** A subscription's health, for logs and health checks. */
export interface SubscriptionStatus {
  name: string;
  kind: SubscriptionKind;
  state: SubscriptionState;
  /** Last position acknowledged by this process; on a standby, the checkpoint stored by the owner, as last read. */
  position: number;
  lastError?: SubscriptionFailure;
  /**
   * The first stored event it could not read (no class or upcaster for it): the node is not ready
   * until this code can read it and the process restarts.
   */
  unreadable?: UnreadableEvent;
  /** A spread subscription's partitions, by index; its `position` is the lowest of theirs. */
  partitions?: PartitionStatus[];
}
