import type { Pool, PoolConfig } from 'pg';
import type { SqlStoreOptions } from '../sql-store.options.js';

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
}
