import type { ProgressWrite, StoredProgress, TransactionWrite } from './progress-write.js';
import type { SqlExecutor } from './sql-executor.interface.js';
import type { SubscriptionControlState } from './subscription-control.interface.js';

/** The subscription's stored state as a lease was granted, read in the same step that raised the epoch. */
export interface LeaseGrant {
  /** Control state (its epoch is the lease's). */
  control: SubscriptionControlState;
  progress: StoredProgress;
}

/**
 * Exclusive ownership of one named subscription. Writes through a lease that was lost
 * (connection dropped, another process took over) are refused with `SubscriptionLostError`.
 */
export interface SubscriptionLease {
  readonly name: string;
  /**
   * True when no process ever held this subscription before: it has no checkpoint yet. A
   * checkpoint of 0 alone cannot tell "new" from "ran, but saw nothing".
   */
  readonly isNew: boolean;
  /** Fence this owner holds; a higher one in the store (takeover, reset, restart) means the lease is stale. */
  readonly epoch: number;
  /**
   * What the store held for the subscription at the moment this lease was granted: a new owner
   * starts from it without reading the store again.
   */
  readonly granted: LeaseGrant;
  /** True once ownership is gone; delivery must stop. */
  readonly lost: boolean;
  /** Registers a callback for the moment ownership is lost. */
  onLost(listener: () => void): void;
  readCheckpoint(): Promise<number>;
  /** Moves the checkpoint; refused when the lease was lost. */
  saveCheckpoint(position: number): Promise<void>;
  /** The checkpoint with the finished positions recorded above it. */
  readProgress(): Promise<StoredProgress>;
  /** Writes progress (checkpoint, finished positions, parked events) at once; refused when the lease was lost. */
  saveProgress(write: ProgressWrite): Promise<void>;
  /**
   * Runs `work` in one transaction together with the checkpoint move to `position` (or the
   * progress write, or what a function of the work's result returns), so a read-model change and
   * its checkpoint commit or roll back together.
   */
  transaction<T>(position: TransactionWrite<T>, work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Carries out a requested reset: runs `work` (the projector's `@BeforeReset`) in one transaction
   * with the checkpoint's move to `position` and the end of the pending request; refused when the
   * lease is stale, and then nothing of it is kept.
   */
  reset<T>(position: number, work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /** Gives ownership up so another process can take it at once. */
  release(): Promise<void>;
}
