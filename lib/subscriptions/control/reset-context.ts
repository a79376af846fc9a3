import type { SqlExecutor } from '../../event-store/sql-executor.interface.js';

/** What a `@BeforeReset` method receives. */
export interface ResetContext {
  /** Global position the checkpoint moves to: read-model changes of events after it must go. */
  position: number;
  /** On SQL stores: the transaction that also moves the checkpoint. */
  sql?: SqlExecutor;
}
