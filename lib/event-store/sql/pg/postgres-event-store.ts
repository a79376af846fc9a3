import type { PostgresStoreOptions } from './postgres-store.options.js';
import { PgDriver } from './pg-driver.js';
import { SqlEventStore } from '../sql-event-store.js';

/**
 * The event store on a PostgreSQL server through `pg`: its own pool (or `existingPool`, which it
 * never ends), one extra connection for subscription locks and one for LISTEN, opened on demand.
 * Requires PostgreSQL 13 or later.
 */
export class PostgresEventStore extends SqlEventStore {
  constructor(options: Omit<PostgresStoreOptions, 'adapter'> & { adapter?: 'postgres' }) {
    super(new PgDriver({ ...options, adapter: 'postgres' }), options);
  }
}
