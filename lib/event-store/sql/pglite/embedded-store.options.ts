import type { SqlStoreOptions } from '../sql-store.options.js';
import type { PGliteDatabase } from './pglite-database.interface.js';

/** The embedded adapter: real PostgreSQL in WebAssembly (PGlite), one process, no server. */
export interface EmbeddedStoreOptions extends SqlStoreOptions {
  adapter: 'embedded';
  /** Data directory; omit for an in-memory database. @default undefined */
  dataDir?: string;
  /**
   * Your own open PGlite database instead of `dataDir` (to share one between stores in different
   * schemas, or to load extensions); it is not closed on shutdown. @default undefined
   */
  database?: PGliteDatabase;
}
