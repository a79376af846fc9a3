import type { MemoryStoreOptions } from '../event-store/memory/memory-store.options.js';
import type { PostgresStoreOptions } from '../event-store/sql/pg/postgres-store.options.js';
import type { EmbeddedStoreOptions } from '../event-store/sql/pglite/embedded-store.options.js';

/** Options of `tenants`: one application serving many tenants, each in a store of its own. */
export interface TenantsOptions {
  /**
   * The store of tenant `tenantId`: another schema, or another database for a tenant of its own.
   * Each tenant's store must be one no other tenant uses.
   * @default the module's `eventStore` in schema `<its schema>_<tenantId>` (postgres, embedded), or a new memory store
   */
  eventStore?: (tenantId: string) => PostgresStoreOptions | EmbeddedStoreOptions | MemoryStoreOptions;
  /** Tenants to serve from the start; each is added if it is not yet. @default [] */
  initial?: string[];
  /**
   * ms between re-reads of the tenant list, so that a node serves a tenant added on another node
   * even when the announcement on the pubsub was lost. @default 5000
   */
  refreshInterval?: number;
  /**
   * Connections of one pool per node that every tenant's store borrows from, instead of a pool of
   * `eventStore.poolSize` per tenant: PostgreSQL then sees this many pooled connections per node
   * however many tenants it serves. Only for stores derived from a PostgreSQL `eventStore` (no
   * `tenants.eventStore`). Each tenant's engine still opens its own session for subscription leases
   * and one for LISTEN.
   * @default none: a pool per tenant
   */
  poolSize?: number;
}

/** {@link TenantsOptions} with every default filled in. */
export type TenantsSettings = Required<Omit<TenantsOptions, 'eventStore' | 'poolSize'>> & Pick<TenantsOptions, 'eventStore' | 'poolSize'>;

/** A tenant id: it names a schema, so lower-case letters, digits and `_`, starting with a letter. */
export const TENANT_ID = /^[a-z][a-z0-9_]{0,39}$/;

/** Why `value` cannot be a tenant id, or undefined. */
export function tenantIdProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && TENANT_ID.test(value)) return undefined;
  return `tenant id ${JSON.stringify(value)} must be 1 to 40 lower-case letters, digits or '_', starting with a letter (it names a schema)`;
}
