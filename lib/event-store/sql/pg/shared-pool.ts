import pg from 'pg';
import type { PostgresStoreOptions } from './postgres-store.options.js';

/**
 * One pool of `size` connections for several stores on the server `options` names, each store in
 * a schema of its own: every statement names its schema, and so does every prepared statement's
 * name, so any connection serves any of them. The stores borrow it as `existingPool` and never end
 * it; whoever made it does, once they are closed.
 */
export function sharedPool(options: PostgresStoreOptions, size: number): pg.Pool {
  return new pg.Pool({ connectionString: options.connectionString, ...options.pool, max: size });
}
