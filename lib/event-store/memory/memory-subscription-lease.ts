import { SubscriptionLostError } from '../../errors/subscription-lost.error.js';
import { FencedLease } from '../fenced-lease.js';
import type { ProgressWrite, StoredProgress } from '../progress-write.js';
import type { SqlExecutor } from '../sql-executor.interface.js';

/** What a memory lease needs from the store that granted it. */
export interface MemoryLeaseContext {
  /** The lease currently holding `name`, if any. */
  holder(name: string): MemorySubscriptionLease | undefined;
  readCheckpoint(name: string): Promise<number>;
  writeCheckpoint(name: string, position: number): void;
  readProgress(name: string): StoredProgress;
  writeProgress(name: string, write: ProgressWrite): void;
  /** Forgets the holder so another application instance can take over. */
  free(name: string): void;
}

const NO_SQL: SqlExecutor = {
  query: () => Promise.reject(new Error('The memory event store has no SQL; use the postgres or embedded adapter')),
};

/**
 * Ownership of one subscription in a memory store shared by several application instances, with
 * the SQL lease's semantics: the store's holder is the fence, so a lease that is no longer the
 * holder cannot move the checkpoint, and a transaction commits its checkpoint only if still held.
 */
export class MemorySubscriptionLease extends FencedLease {
  constructor(
    name: string,
    readonly isNew: boolean,
    private readonly context: MemoryLeaseContext,
  ) {
    super(name);
  }

  readCheckpoint(): Promise<number> {
    return this.context.readCheckpoint(this.name);
  }

  async saveCheckpoint(position: number): Promise<void> {
    this.assertHolder();
    this.context.writeCheckpoint(this.name, position);
  }

  async readProgress(): Promise<StoredProgress> {
    return this.context.readProgress(this.name);
  }

  async saveProgress(write: ProgressWrite): Promise<void> {
    this.assertHolder();
    this.context.writeProgress(this.name, write);
  }

  async transaction<T>(position: number | ProgressWrite, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertHolder();
    const result = await work(NO_SQL);
    this.assertHolder();
    if (typeof position === 'number') this.context.writeCheckpoint(this.name, position);
    else this.context.writeProgress(this.name, position);
    return result;
  }

  async release(): Promise<void> {
    if (this.lost) return;
    this.markLost();
    if (this.context.holder(this.name) === this) this.context.free(this.name);
  }

  private assertHolder(): void {
    this.assertHeld();
    if (this.context.holder(this.name) !== this) {
      this.markLost();
      throw new SubscriptionLostError(this.name);
    }
  }
}
