import type { EmbeddedStoreOptions, PostgresStoreOptions } from './options.js';
import { PgDriver } from './event-store/sql/pg/pg-driver.js';
import { PGliteDriver } from './event-store/sql/pglite/pglite-driver.js';
import { type MigrationProgress, runMigrations } from './event-store/sql/run-migrations.js';
import type { SqlDriver } from './event-store/sql/sql-driver.interface.js';
import { sqlSchema } from './event-store/sql/sql-schema.js';

/** Where to migrate: the same settings as the store, without the adapter's runtime options. */
export type MigrateOptions =
  (Omit<PostgresStoreOptions, 'adapter' | 'autoMigrate'> & { adapter?: 'postgres' }) | Omit<EmbeddedStoreOptions, 'autoMigrate'>;

/** Creates the driver a store's options describe. */
const createSqlDriver = (options: MigrateOptions): SqlDriver =>
  options.adapter === 'embedded' ? new PGliteDriver(options.dataDir) : new PgDriver({ ...options, adapter: 'postgres' });

/**
 * Creates or upgrades the event store's tables in `options.schema` (default `event_store`), then
 * disconnects. Safe to run from several processes at once. Returns the versions applied;
 * `onProgress` hears after each statement, for a progress display.
 */
export async function migrate(options: MigrateOptions, onProgress?: MigrationProgress): Promise<number[]> {
  const schema = sqlSchema(options.schema);
  const driver = createSqlDriver(options);
  try {
    await driver.open();
    return await runMigrations(driver, schema, onProgress);
  } finally {
    await driver.close();
  }
}
