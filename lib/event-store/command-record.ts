import type { RecordedEvent } from './recorded-event.js';
import type { SqlExecutor } from './sql-executor.interface.js';

/** The command behind an append, recorded with its events so a repeat of it can be recognised. */
export interface CommandToRecord {
  /** Unique across the store: a second append naming it fails with `DuplicateCommandError`. */
  commandId: string;
  /** The command's class name. */
  commandType: string;
  /** Hash of the command's type and payload, to tell a repeat from a different command under a used id. */
  payloadHash: string;
}

/** A recorded command and the events it produced. */
export interface CommandRecord extends CommandToRecord {
  streamId: string;
  /** Stream version of the first event the command produced. */
  firstVersion: number;
  /** Stream version after the command. */
  lastVersion: number;
  /** Global position of the last event the command produced. */
  globalPosition: number;
  createdAt: Date;
}

/** Options of one append. */
export interface AppendOptions {
  /**
   * Records the command that produced the events, in the same transaction: the append fails with
   * `DuplicateCommandError` when its id is already recorded. Ignored for an empty batch.
   */
  command?: CommandToRecord;
  /**
   * Runs inside the append's own transaction, after the events are written (SQL stores only; the
   * memory store refuses it with `ConfigurationError`): what it writes through `sql` commits with
   * the events, and when it throws, nothing of the append is written. Inline projectors use it.
   */
  inTransaction?: (sql: SqlExecutor, events: RecordedEvent[]) => Promise<void>;
}
