import type { Pool, PoolConfig } from 'pg';
import type { SqlStoreOptions } from '../sql-store.options.js';

/** What stands between the store and PostgreSQL, as `pooler` names it. */
export const POOLER_MODES = ['session', 'transaction'] as const;
/** One of {@link POOLER_MODES}. */
export type PoolerMode = (typeof POOLER_MODES)[number];

/** How long a subscription lease lasts without renewal under `pooler: 'transaction'`, in ms. */
export const DEFAULT_LEASE_TIMEOUT = 10_000;

/** How far behind the head a reader must be to read from the replica, by default. */
export const DEFAULT_REPLICA_MIN_LAG = 1_000;
/** Connections to the replica, by default. */
export const DEFAULT_REPLICA_POOL_SIZE = 4;

/**
 * A streaming standby (physical replication, `hot_standby = on`) of the store's database, for
 * catch-up reads: readers far behind the head (subscriptions catching up or rebuilding, `tail`
 * from the past, `iterateAll`) and operator views (streams, a stream's events) read from it.
 * A reader never misses or repeats an event: it reads only positions the primary has proven
 * final, and only once the replica has replayed them. A replica that lags, fails or is not a
 * standby is left aside and the primary answers.
 */
export interface PostgresReplicaOptions {
  /** e.g. `postgres://reader@replica:5432/app`: the same database and schema, on the standby. */
  connectionString: string;
  /** @default 4 */
  poolSize?: number;
  /** Extra `pg` pool settings for the replica (not taken from `pool`). @default { connectionTimeoutMillis: 5000 } */
  pool?: PoolConfig;
  /**
   * How many events behind the primary's head a reader must be to read from the replica; nearer,
   * it reads the primary, as without a replica.
   * @default 1000
   */
  minLag?: number;
}

/** The PostgreSQL adapter, on `pg`. */
export interface PostgresStoreOptions extends SqlStoreOptions {
  adapter: 'postgres';
  /** e.g. `postgres://postgres@127.0.0.1:5432/app` */
  connectionString?: string;
  /** Extra `pg` pool settings. */
  pool?: PoolConfig;
  /** Your own pool; it is not closed on shutdown. */
  existingPool?: Pool;
  /** @default 10 */
  poolSize?: number;
  /**
   * `'session'`: every connection is a server session of its own (PostgreSQL directly, or a
   * session-mode pooler). Subscription leases are session advisory locks, hot statements are
   * named prepared statements, and appends are announced by LISTEN/NOTIFY.
   * `'transaction'`: connections go through a transaction-mode pooler (PgBouncer with
   * `pool_mode = transaction`, RDS Proxy), where a session lasts one transaction. Leases are rows
   * that expire `leaseTimeout` after their last renewal, statements are unnamed, and nothing
   * LISTENs unless `listenConnectionString` is given: other nodes' appends then arrive through
   * the pubsub and `subscriptions.pollInterval`. Every node on one schema must use the same mode.
   * @default 'session'
   */
  pooler?: PoolerMode;
  /**
   * Under `pooler: 'transaction'`: how long a subscription lease lasts without renewal, in ms. A
   * holder renews all its leases every third of it; a crashed holder's subscriptions move after
   * it. Ignored under `'session'`, where a lease ends with its connection.
   * @default 10000
   */
  leaseTimeout?: number;
  /**
   * A connection string that reaches PostgreSQL directly (not through a transaction-mode pooler),
   * used only to LISTEN for appends, on one connection. Under `pooler: 'transaction'` without it,
   * nothing LISTENs.
   * @default connectionString under 'session'; none under 'transaction'
   */
  listenConnectionString?: string;
  /** A read replica for catch-up reads; see {@link PostgresReplicaOptions}. @default none: everything reads the primary */
  replica?: PostgresReplicaOptions;
}
