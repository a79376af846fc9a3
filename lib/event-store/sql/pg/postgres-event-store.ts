import {
  DEFAULT_LEASE_TIMEOUT,
  DEFAULT_REPLICA_MIN_LAG,
  DEFAULT_REPLICA_POOL_SIZE,
  type PostgresReplicaOptions,
  type PostgresStoreOptions,
} from './postgres-store.options.js';
import { assertPostgresStoreOptions } from './postgres-store-options-problems.js';
import { PgDriver } from './pg-driver.js';
import { SqlEventStore } from '../sql-event-store.js';
import { SqlReplica } from '../sql-replica.js';

/** How long the replica's pool waits for a connection before the primary answers instead, by default. */
const REPLICA_CONNECT_TIMEOUT_MS = 5000;

/** The link to the replica the options name: its own small pool, connected on first use. */
function replicaLink(options: PostgresReplicaOptions): SqlReplica {
  const driver = new PgDriver({
    adapter: 'postgres',
    connectionString: options.connectionString,
    poolSize: options.poolSize ?? DEFAULT_REPLICA_POOL_SIZE,
    pool: { connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS, ...options.pool },
  });
  return new SqlReplica(driver, options.minLag ?? DEFAULT_REPLICA_MIN_LAG);
}

/**
 * The event store on a PostgreSQL server through `pg`: its own pool (or `existingPool`, which it
 * never ends), one extra connection for subscription locks and one for LISTEN, opened on demand;
 * under `pooler: 'transaction'`, the pool alone (and the LISTEN connection when one is given); with
 * `replica`, a small pool on the standby for catch-up reads and operator views.
 * Requires PostgreSQL 13 or later. Throws `InvalidOptionsError` on a malformed option.
 */
export class PostgresEventStore extends SqlEventStore {
  constructor(options: Omit<PostgresStoreOptions, 'adapter'> & { adapter?: 'postgres' }) {
    assertPostgresStoreOptions(options);
    super(
      new PgDriver({ ...options, adapter: 'postgres' }),
      options,
      options.pooler === 'transaction' ? { kind: 'row', timeout: options.leaseTimeout ?? DEFAULT_LEASE_TIMEOUT } : { kind: 'lock' },
      options.replica && replicaLink(options.replica),
    );
  }
}
