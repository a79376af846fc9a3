import { DEFAULT_LEASE_TIMEOUT, type PostgresStoreOptions } from './postgres-store.options.js';
import { assertPostgresStoreOptions } from './postgres-store-options-problems.js';
import { PgDriver } from './pg-driver.js';
import { SqlEventStore } from '../sql-event-store.js';

/**
 * The event store on a PostgreSQL server through `pg`: its own pool (or `existingPool`, which it
 * never ends), one extra connection for subscription locks and one for LISTEN, opened on demand;
 * under `pooler: 'transaction'`, the pool alone (and the LISTEN connection when one is given).
 * Requires PostgreSQL 13 or later. Throws `InvalidOptionsError` on a malformed option.
 */
export class PostgresEventStore extends SqlEventStore {
  constructor(options: Omit<PostgresStoreOptions, 'adapter'> & { adapter?: 'postgres' }) {
    assertPostgresStoreOptions(options);
    super(
      new PgDriver({ ...options, adapter: 'postgres' }),
      options,
      options.pooler === 'transaction' ? { kind: 'row', timeout: options.leaseTimeout ?? DEFAULT_LEASE_TIMEOUT } : { kind: 'lock' },
    );
  }
}
