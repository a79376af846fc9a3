import type { EmbeddedStoreOptions } from './embedded-store.options.js';
import type { PGliteDatabase } from './pglite-database.interface.js';
import { PGliteDriver } from './pglite-driver.js';
import { SqlEventStore } from '../sql-event-store.js';

/**
 * The event store on PGlite, PostgreSQL compiled to WebAssembly and run inside this process: the
 * same SQL as the PostgreSQL adapter, no server to install. Data lives in `dataDir` (in memory when
 * omitted). One process only: PGlite cannot share a data directory between processes.
 */
export class EmbeddedEventStore extends SqlEventStore {
  private readonly pglite: PGliteDriver;

  constructor(options: Omit<EmbeddedStoreOptions, 'adapter'> & { adapter?: 'embedded' } = {}) {
    const driver = new PGliteDriver(options.database ?? options.dataDir);
    super(driver, options);
    this.pglite = driver;
  }

  /** The open database, for stores in other schemas to share (a tenant's store); available once `init` has run. */
  get database(): PGliteDatabase {
    return this.pglite.database;
  }
}
