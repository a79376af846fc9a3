import { StoreUnavailableError } from '../../../errors/store-unavailable.error.js';
import { loadOptional } from '../../../errors/load-optional.js';
import type { SqlExecutor } from '../../sql-executor.interface.js';
import type { SqlDriver, SqlSession, SqlStatement, StoreSql } from '../sql-driver.interface.js';
import type { PGliteDatabase } from './pglite-database.interface.js';

/** A transaction of PGlite, whose one in-process session caches plans itself: a prepared statement is a query. */
const storeSqlOf = (tx: SqlExecutor): StoreSql => ({
  query: (text, params) => tx.query(text, params),
  prepared: (_name, text, params) => tx.query(text, params),
});

/**
 * The SQL driver on PGlite: PostgreSQL compiled to WebAssembly, inside this process. PGlite has a
 * single session, so every "dedicated" session is that one; it ends when the database closes.
 */
export class PGliteDriver implements SqlDriver {
  private db?: PGliteDatabase;
  private readonly endListeners = new Set<() => void>();
  private resolveOpened!: (db: PGliteDatabase) => void;
  // Listeners may register before open(); they attach once the database exists.
  private readonly opened = new Promise<PGliteDatabase>((resolve) => (this.resolveOpened = resolve));

  /** Whether this driver opened the database, and so closes it. */
  private readonly owned: boolean;
  private isClosed = false;

  /** @param source directory holding the database files (in memory when omitted), or an open database to use */
  constructor(private readonly source?: string | PGliteDatabase) {
    this.owned = typeof source !== 'object';
  }

  async open(): Promise<void> {
    if (this.db) return;
    if (typeof this.source === 'object') {
      this.db = this.source;
    } else {
      // An optional peer, loaded on demand: users of the `pg` adapter need not install it.
      const { PGlite } = await loadOptional('@electric-sql/pglite', 'the embedded event store', () => import('@electric-sql/pglite'));
      this.db = await PGlite.create(this.source);
    }
    this.resolveOpened(this.db);
  }

  async query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }> {
    return this.database.query<R>(text, params);
  }

  /** PGlite caches the plans of one in-process session itself. */
  prepared<R = Record<string, unknown>>(_name: string, text: string, params: unknown[]): Promise<{ rows: R[] }> {
    return this.query<R>(text, params);
  }

  async transaction<T>(work: (sql: StoreSql) => Promise<T>): Promise<T> {
    return this.database.transaction((tx) => work(storeSqlOf(tx)));
  }

  /** In process, BEGIN costs no round trip: `first` simply runs first. */
  async transactionFrom<R, T>(first: SqlStatement, work: (sql: StoreSql, rows: R[]) => Promise<T>): Promise<T> {
    return this.database.transaction(async (tx) => work(storeSqlOf(tx), (await tx.query<R>(first.text, first.params)).rows));
  }

  async openSession(): Promise<SqlSession> {
    const db = this.database;
    const endListeners = this.endListeners;
    const closed = () => db.closed || this.isClosed;
    return {
      get ended() {
        return closed();
      },
      query: (text, params) => db.query(text, params),
      onEnd: (listener) => endListeners.add(listener),
      // The single session stays open: its locks are released one by one by their owners.
      close: async () => undefined,
    };
  }

  listen(channel: string, onMessage: (payload?: string) => void): () => Promise<void> {
    const unlisten = this.opened.then((db) => db.listen(channel, (payload) => onMessage(payload)));
    unlisten.catch(() => undefined);
    return async () => {
      if (this.db && !this.db.closed) await (await unlisten)();
    };
  }

  async close(): Promise<void> {
    if (!this.db || this.db.closed || this.isClosed) return;
    this.isClosed = true;
    if (this.owned) await this.db.close();
    this.endListeners.forEach((listener) => listener());
    this.endListeners.clear();
  }

  /** The open database; throws `StoreUnavailableError` before `open` or after `close`. */
  get database(): PGliteDatabase {
    if (!this.db || this.db.closed || this.isClosed) throw new StoreUnavailableError('The embedded event store is not open: call init() first');
    return this.db;
  }
}
