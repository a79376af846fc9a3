import { existsSync } from 'node:fs';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { PostgresEventStore } from '../event-store/sql/pg/postgres-event-store.js';
import { EmbeddedEventStore } from '../event-store/sql/pglite/embedded-event-store.js';
import { DEFAULT_SCHEMA } from '../event-store/sql/sql-schema.js';
import type { MigrateOptions } from '../migrate.js';
import { type FlagSpec, UsageError } from './cli-command.js';

/** Flags naming the store, shared by every command. */
export const CONNECTION_FLAGS: Record<string, FlagSpec> = {
  url: { type: 'string' },
  'replica-url': { type: 'string' },
  schema: { type: 'string' },
  'data-dir': { type: 'string' },
};

export const CONNECTION_HELP = `Connection (every command):
  --url          PostgreSQL connection string (default: $DATABASE_URL)
  --replica-url  a streaming standby of it (default: $DATABASE_REPLICA_URL): streams, a stream's events
                 and tail's history far behind are read there, the rest on --url
  --schema       schema holding the tables (default: ${DEFAULT_SCHEMA})
  --data-dir     an embedded (PGlite) store in this directory instead of a server (only while no application has it open)
  --json         machine-readable output: one JSON document (JSON lines for tail)`;

/** How long the command line waits for a connection before calling the store unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/** The store the connection flags (or `DATABASE_URL`) name. */
export function connectionSettings(values: Record<string, string | boolean | undefined>): MigrateOptions {
  const url = (values.url as string | undefined) ?? process.env.DATABASE_URL;
  const dataDir = values['data-dir'] as string | undefined;
  const replicaUrl = (values['replica-url'] as string | undefined) ?? process.env.DATABASE_REPLICA_URL;
  const schema = (values.schema as string | undefined) ?? DEFAULT_SCHEMA;
  if (url && dataDir) throw new UsageError('Give either --url (or DATABASE_URL) or --data-dir, not both.');
  if (dataDir && values['replica-url'] !== undefined)
    throw new UsageError('--replica-url is for a PostgreSQL server (--url), not an embedded store.');
  if (dataDir) return { adapter: 'embedded', dataDir, schema };
  if (!url) throw new UsageError('Give --url (or set DATABASE_URL), or --data-dir for an embedded store.');
  const pool = { connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  return { connectionString: url, schema, pool, ...(replicaUrl && { replica: { connectionString: replicaUrl, poolSize: 1, pool } }) };
}

/**
 * Opens an existing store without migrating it: the command line only reads, and a schema that
 * is missing or behind fails with the message naming `migrate`.
 */
export async function openStore(settings: MigrateOptions): Promise<EventStore> {
  if (settings.adapter === 'embedded') {
    if (!settings.dataDir || !existsSync(settings.dataDir))
      throw new StoreUnavailableError(`No embedded store in ${JSON.stringify(settings.dataDir)}`);
    const store = new EmbeddedEventStore({ ...settings, autoMigrate: false });
    return initialised(store);
  }
  return initialised(new PostgresEventStore({ ...settings, autoMigrate: false, poolSize: 2 }));
}

async function initialised(store: EventStore): Promise<EventStore> {
  try {
    await store.init();
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
