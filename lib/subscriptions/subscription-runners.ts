import type { SubscriptionControlState } from '../event-store/subscription-control.interface.js';
import type { SubscriptionStatus } from './subscription-status.js';

/** What the manager asks of the runner of one subscription, whole or spread over partitions. */
export interface RunsSubscription {
  readonly name: string;
  /** Every stored name it runs: its own and, when spread, its partitions'. */
  readonly names: readonly string[];
  start(): void;
  stop(): Promise<void>;
  status(): SubscriptionStatus;
  /** The stored control state of one of its `names`. */
  controlled(state: SubscriptionControlState): void;
  wake(position?: number, types?: readonly string[]): void;
  /** Another node released the lease of `name`, one of its `names`. */
  retryLease(name: string): void;
  wakeParked(): void;
}
