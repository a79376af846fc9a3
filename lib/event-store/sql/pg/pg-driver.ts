import pg from 'pg';
import type { PostgresStoreOptions } from './postgres-store.options.js';
import { guardConnection, isConnectionError, toStoreError } from './connection-errors.js';
import { PgListener } from './pg-listener.js';
import { PgSession } from './pg-session.js';
import { withLiterals } from './pg-literals.js';
import { ConnectionGate } from './connection-gate.js';
import { assertConnectionString } from './connection-settings-errors.js';
import type { SqlDriver, SqlSession, SqlStatement, StoreSql } from '../sql-driver.interface.js';

/** Default number of pooled connections. */
export const DEFAULT_POOL_SIZE = 10;

type Queryable = { query(config: string | pg.QueryConfig, params?: unknown[]): Promise<unknown> };

/** Runs statements on `client` (the pool, or a client in a transaction); `unnamed` under a transaction pooler. */
const executor = (client: Queryable, unnamed: boolean): StoreSql => ({
  query: <R>(text: string, params?: unknown[]) => guardConnection(() => client.query(text, params) as Promise<{ rows: R[] }>),
  prepared: <R>(name: string, text: string, params: unknown[]) =>
    guardConnection(() => (unnamed ? client.query(text, params) : client.query({ name, text, values: params })) as Promise<{ rows: R[] }>),
});

// A pooled connection that dies is dropped by the pool; without a listener its 'error' event
// would crash the process. Each failure still reaches its caller through the query that met it.
const ignoreIdleError = () => undefined;
// The pool listens to a client only while it is idle, and once per query it runs: a backend
// terminated at the wrong moment can emit a second 'error' that nobody hears, which ends the process.
const watchClient = (client: pg.PoolClient) => client.on('error', ignoreIdleError);

/**
 * Listens to `pool` and each of its connections for errors, once per pool however many stores
 * share it (an existing pool, tenants' stores), so that no listener piles up as stores open and close.
 */
function watchPool(pool: pg.Pool): void {
  if (!pool.listeners('error').includes(ignoreIdleError)) pool.on('error', ignoreIdleError);
  if (!pool.listeners('connect').includes(watchClient)) pool.on('connect', watchClient);
}

/**
 * The SQL driver on a `pg` pool, with unpooled clients for sessions and LISTEN. Under
 * `pooler: 'transaction'` nothing outlives a transaction: statements go unnamed, and LISTEN only
 * on `listenConnectionString`.
 */
export class PgDriver implements SqlDriver {
  private readonly pool: pg.Pool;
  private readonly clientConfig: pg.ClientConfig;
  /** Where LISTEN connects; none when nothing may listen (a transaction pooler, no direct connection). */
  private readonly listenConfig?: pg.ClientConfig;
  /** Statements go unnamed: a transaction pooler hands each transaction any server connection. */
  private readonly unnamed: boolean;
  /** Statements on the pool, outside any transaction. */
  private readonly pooled: StoreSql;
  private readonly ownsPool: boolean;
  private readonly listeners = new Set<PgListener>();
  private readonly sessions = new Set<PgSession>();
  /** Orders the waits for a connection (the pool itself serves first come, first served). */
  private readonly gate: ConnectionGate;

  constructor(private readonly options: PostgresStoreOptions) {
    this.ownsPool = !options.existingPool;
    this.clientConfig = options.existingPool?.options ?? { connectionString: options.connectionString, ...options.pool };
    this.unnamed = options.pooler === 'transaction';
    this.listenConfig = options.listenConnectionString
      ? { ...this.clientConfig, connectionString: options.listenConnectionString }
      : this.unnamed
        ? undefined
        : this.clientConfig;
    this.pool =
      options.existingPool ??
      new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? DEFAULT_POOL_SIZE, ...options.pool });
    this.pooled = executor(this.pool, this.unnamed);
    this.gate = new ConnectionGate(this.pool.options.max ?? DEFAULT_POOL_SIZE);
    watchPool(this.pool);
  }

  async open(): Promise<void> {
    // Checked when opening rather than when constructed: start-up then reports it as it reports a
    // server that refuses the settings.
    assertConnectionString(this.options.connectionString);
    await this.query('SELECT 1');
  }

  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }> {
    return this.gate.run(() => this.pooled.query<R>(text, params));
  }

  prepared<R = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<{ rows: R[] }> {
    return this.gate.run(() => this.pooled.prepared<R>(name, text, params));
  }

  transaction<T>(work: (sql: StoreSql) => Promise<T>): Promise<T> {
    return this.inTransaction(async (client) => {
      await client.query('BEGIN');
      return work(executor(client, this.unnamed));
    });
  }

  /**
   * BEGIN and `first` go as one simple-protocol query, its parameters written in as literals: one
   * round trip, and a failing BEGIN skips the rest of the query.
   */
  transactionFrom<R, T>(first: SqlStatement, work: (sql: StoreSql, rows: R[]) => Promise<T>): Promise<T> {
    return this.inTransaction(async (client) => {
      const results = (await client.query(`BEGIN; ${withLiterals(first)}`)) as unknown as [pg.QueryResult, pg.QueryResult<R & pg.QueryResultRow>];
      return work(executor(client, this.unnamed), results[1].rows);
    });
  }

  async openSession(): Promise<SqlSession> {
    const session = await PgSession.connect(this.clientConfig);
    this.sessions.add(session);
    session.onEnd(() => this.sessions.delete(session));
    return session;
  }

  listen(channel: string, onMessage: (payload?: string) => void): () => Promise<void> {
    if (!this.listenConfig) return () => Promise.resolve();
    const listener = new PgListener(this.listenConfig, channel, onMessage);
    this.listeners.add(listener);
    listener.start();
    return async () => {
      this.listeners.delete(listener);
      await listener.stop();
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.stop()));
    await Promise.all([...this.sessions].map((session) => session.close()));
    if (this.ownsPool && !this.pool.ending) await this.pool.end();
  }

  /** Runs `run` (BEGIN and the work) on a pooled client, then commits; rolls back when it throws. */
  private inTransaction<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.gate.run(() => this.onClient(run));
  }

  private async onClient<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await guardConnection(() => this.pool.connect());
    // The pool stops listening to a client it has handed out; a backend terminated between two
    // statements of `work` would then raise an unhandled 'error' and end the process. The failure
    // still reaches `work` through its next query.
    client.on('error', ignoreIdleError);
    let broken = false;
    try {
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = isConnectionError(error);
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      throw toStoreError(error);
    } finally {
      client.off('error', ignoreIdleError);
      // A client whose connection failed must not go back to the pool.
      client.release(broken);
    }
  }
}
