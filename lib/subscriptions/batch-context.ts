import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { EventContext } from './event-context.js';

/** One event of a batch, revived, with its context. */
export interface BatchItem<E extends object = object> {
  event: E;
  context: EventContext;
}

/** What an `@OnBatch` method receives besides the events. */
export interface BatchContext {
  /** For projectors on SQL stores: the transaction that also moves the checkpoint past the batch. */
  sql?: SqlExecutor;
}

/** An `@OnBatch` method bound to its provider instance. */
export type BoundBatchHandler = (items: BatchItem[], context: BatchContext) => unknown;
