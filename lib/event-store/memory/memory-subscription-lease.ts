import { SubscriptionLostError } from '../../errors/subscription-lost.error.js';
import { FencedLease } from '../fenced-lease.js';
import { type ProgressWrite, type StoredProgress, type TransactionWrite, writeAfter } from '../progress-write.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import type { MemoryParkedEvents } from './memory-parked-events.js';
import type { MemorySubscriptionControl } from './memory-subscription-control.js';

/** What a memory lease needs from the store that granted it. */
export interface MemoryLeaseContext {
  /** The lease currently holding `name`, if any. */
  holder(name: string): MemorySubscriptionLease | undefined;
  subscriptions: MemorySubscriptionControl;
  parked: MemoryParkedEvents;
  /** Forgets the holder so another application instance can take over. */
  free(name: string): void;
}

const NO_SQL: SqlExecutor = {
  query: () => Promise.reject(new Error('The memory event store has no SQL; use the postgres or embedded adapter')),
};

/**
 * Ownership of one subscription in a memory store shared by several application instances, with
 * the SQL lease's semantics: the store's holder and epoch are the fence, so a lease that is no
 * longer the holder, or whose epoch was raised by a reset or restart, cannot move the checkpoint,
 * and a transaction commits its checkpoint only if still held.
 */
export class MemorySubscriptionLease extends FencedLease {
  private released = false;

  constructor(
    granted: LeaseGrant,
    private readonly context: MemoryLeaseContext,
  ) {
    super(granted);
  }

  async readCheckpoint(): Promise<number> {
    return this.context.subscriptions.position(this.name);
  }

  async saveCheckpoint(position: number): Promise<void> {
    this.write(position);
  }

  async readProgress(): Promise<StoredProgress> {
    return this.context.subscriptions.progress(this.name);
  }

  async saveProgress(write: ProgressWrite): Promise<void> {
    this.write(write);
  }

  transaction<T>(position: TransactionWrite<T>, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    return this.commit(work, (result) => this.write(writeAfter(position, result)));
  }

  /** As on SQL stores, parked events above `position` go: the replay delivers them again. */
  reset<T>(position: number, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    return this.commit(work, () => {
      if (!this.context.subscriptions.reset(this.name, this.epoch, position)) this.lose();
      this.context.parked.discardAbove(this.name, position);
    });
  }

  /** Also frees a lease lost to a raised epoch: it is still the holder until it lets go. */
  async release(): Promise<void> {
    this.markLost();
    if (this.released) return;
    this.released = true;
    this.context.subscriptions.leave(this.name, this.epoch);
    if (this.context.holder(this.name) === this) this.context.free(this.name);
  }

  private async commit<T>(work: (sql: SqlExecutor) => Promise<T>, save: (result: T) => void): Promise<T> {
    this.assertHolder();
    const result = await work(NO_SQL);
    this.assertHolder();
    save(result);
    return result;
  }

  /** A bare position is a plain checkpoint move; a progress write follows the SQL progress statement's rules. */
  private write(position: number | ProgressWrite): void {
    this.assertHolder();
    const { subscriptions, parked } = this.context;
    if (typeof position === 'number') {
      if (!subscriptions.write(this.name, this.epoch, position)) this.lose();
      return;
    }
    if (!subscriptions.writeProgress(this.name, this.epoch, position)) this.lose();
    parked.apply(this.name, position.park ?? [], position.unpark ?? []);
  }

  private assertHolder(): void {
    this.assertHeld();
    if (this.context.holder(this.name) !== this || this.context.subscriptions.epoch(this.name) !== this.epoch) this.lose();
  }

  private lose(): never {
    this.markLost();
    throw new SubscriptionLostError(this.name);
  }
}
