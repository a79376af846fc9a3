import type { SqlExecutor } from '../sql-executor.interface.js';

/** One database session on its own connection, kept open for session-scoped advisory locks. */
export interface SqlSession extends SqlExecutor {
  /** True once the connection behind the session is gone (its locks with it). */
  readonly ended: boolean;
  /** Calls `listener` once when the connection ends, whatever the reason. */
  onEnd(listener: () => void): void;
  /** Closes the session, releasing every lock it holds. */
  close(): Promise<void>;
}

/** One of the store's own statements: `$1`, `$2`, ... appear in `text` only as placeholders of `params`. */
export interface SqlStatement {
  /** Stands for `text` alone, as in {@link SqlDriver.prepared}. */
  name: string;
  text: string;
  params: Array<string | null>;
}

/** Where the store runs its own statements: the driver, or one of its transactions. */
export interface StoreSql extends SqlExecutor {
  /**
   * Runs one of the store's hot statements as a named prepared statement, parsed and planned once
   * per connection: a statement run for every command or page would otherwise be parsed and
   * planned every time (see docs/measurements.md). `name` must stand for `text` alone (the schema
   * goes into it), and `text` must name its columns: a `*` prepared before a migration adds one
   * fails after it. Under a transaction pooler the statement goes unnamed. Lookups by `= ANY($1)`
   * (commands, snapshots) stay unprepared: the server planned them again on most calls anyway,
   * and prepared, their execution took longer than the plain query's.
   */
  prepared<R = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The few things the SQL event store needs from a PostgreSQL client, so one implementation of the
 * SQL and logic runs on `pg` and on PGlite. Connection failures surface as `StoreUnavailableError`.
 */
export interface SqlDriver extends StoreSql {
  open(): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: StoreSql) => Promise<T>): Promise<T>;
  /**
   * As {@link transaction}, with `first` as the transaction's first statement and its rows handed
   * to `work`. The driver may send BEGIN and `first` as one message, a round trip fewer; a
   * failing BEGIN then skips `first`, which never runs outside the transaction.
   */
  transactionFrom<R, T>(first: SqlStatement, work: (sql: StoreSql, rows: R[]) => Promise<T>): Promise<T>;
  /** A dedicated session outside any pool. */
  openSession(): Promise<SqlSession>;
  /**
   * Delivers notifications on `channel` until the returned function is called. After the listening
   * connection is re-established, `onMessage` is called without a payload: messages may have been missed.
   */
  listen(channel: string, onMessage: (payload?: string) => void): () => Promise<void>;
  close(): Promise<void>;
}
