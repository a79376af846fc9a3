import { SubscriptionLostError } from '../errors/subscription-lost.error.js';
import type { ProgressWrite, StoredProgress, TransactionWrite } from './progress-write.js';
import type { SqlExecutor } from './sql-executor.interface.js';
import type { LeaseGrant, SubscriptionLease } from './subscription-lease.interface.js';

/**
 * What every adapter's lease shares: once lost, a lease stays lost, refuses writes with
 * `SubscriptionLostError`, and tells each `onLost` listener exactly once — also a listener added
 * after the loss, so a runner that registers late still stops.
 */
export abstract class FencedLease implements SubscriptionLease {
  private isLost = false;
  private readonly lostListeners: Array<() => void> = [];

  readonly name: string;

  constructor(readonly granted: LeaseGrant) {
    this.name = granted.control.name;
  }

  get epoch(): number {
    return this.granted.control.epoch;
  }

  /** The first acquisition creates the subscription's record at epoch 1; every later one raises it. */
  get isNew(): boolean {
    return this.epoch === 1;
  }
  abstract readCheckpoint(): Promise<number>;
  abstract saveCheckpoint(position: number): Promise<void>;
  abstract readProgress(): Promise<StoredProgress>;
  abstract saveProgress(write: ProgressWrite): Promise<void>;
  abstract transaction<T>(position: TransactionWrite<T>, work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  abstract reset<T>(position: number, work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  abstract release(): Promise<void>;

  get lost(): boolean {
    return this.isLost;
  }

  onLost(listener: () => void): void {
    if (this.isLost) queueMicrotask(listener);
    else this.lostListeners.push(listener);
  }

  /** Ends ownership locally and tells the listeners; called when the lock or the fence is gone. */
  markLost(): void {
    if (this.isLost) return;
    this.isLost = true;
    for (const listener of this.lostListeners.splice(0)) {
      try {
        listener();
      } catch {
        // One failing listener must not keep the others from hearing that delivery has to stop.
      }
    }
  }

  protected assertHeld(): void {
    if (this.isLost) throw new SubscriptionLostError(this.name);
  }
}
