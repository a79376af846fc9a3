import type { SqlStoreOptions } from '../sql-store.options.js';

/** The embedded adapter: real PostgreSQL in WebAssembly (PGlite), one process, no server. */
export interface EmbeddedStoreOptions extends SqlStoreOptions {
  adapter: 'embedded';
  /** Data directory; omit for an in-memory database. @default undefined */
  dataDir?: string;
}
