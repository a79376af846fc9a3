import { ConfigurationError } from './errors/configuration.error.js';
import type { EventStore } from './event-store/event-store.interface.js';
import { DEFAULT_SCHEMA } from './event-store/sql/sql-schema.js';
import { EmbeddedEventStore } from './event-store/sql/pglite/embedded-event-store.js';
import type { EventSourcingModuleOptions, EventStoreAdapterOptions, PubSubOptions } from './options.js';
import type { Pool } from 'pg';
import type { TenantsSettings } from './tenants/tenants.options.js';

/**
 * The options of tenant `tenant`'s engine: the application's own, with the tenant's store and its
 * own pubsub channels, and no tenants of its own. A derived PostgreSQL store borrows `pool` when
 * given (`tenants.poolSize`).
 */
export function tenantEngineOptions(
  raw: EventSourcingModuleOptions,
  settings: TenantsSettings,
  base: EventStore,
  nodeName: string,
  tenant: string,
  pool?: Pool,
): EventSourcingModuleOptions {
  const eventStore = settings.eventStore?.(tenant) ?? derivedTenantStore(tenant, raw, base, pool);
  return { ...raw, eventStore, pubsub: tenantPubSub(raw.pubsub ?? 'local', tenant), tenants: undefined, nodeName };
}

/** The tenant's store when `tenants.eventStore` is not given: the module's, in a schema of the tenant's own. */
function derivedTenantStore(tenant: string, raw: EventSourcingModuleOptions, base: EventStore, pool?: Pool): EventStoreAdapterOptions {
  const options = raw.eventStore as EventStoreAdapterOptions;
  switch (options.adapter) {
    case 'memory':
      return { adapter: 'memory', maxPayloadBytes: options.maxPayloadBytes };
    case 'postgres':
      return { ...options, schema: `${options.schema ?? DEFAULT_SCHEMA}_${tenant}`, ...(pool ? { existingPool: pool } : {}) };
    case 'embedded': {
      // One PGlite database holds every tenant's schema: two instances on one data directory would corrupt it.
      return {
        ...options,
        dataDir: undefined,
        schema: `${options.schema ?? DEFAULT_SCHEMA}_${tenant}`,
        database: (base as EmbeddedEventStore).database,
      };
    }
    default:
      throw new ConfigurationError(
        `tenant '${tenant}' has no store: with an EventStore instance as 'eventStore', give 'tenants.eventStore' (tenantId) => options`,
      );
  }
}

/** Each tenant's messages on channels of its own: a wake-up or invalidation never reaches another tenant's engine. */
function tenantPubSub(pubsub: PubSubOptions, tenant: string): PubSubOptions {
  if (typeof pubsub !== 'object') return pubsub;
  return { ...pubsub, channelPrefix: `${pubsub.channelPrefix ?? ''}tenant.${tenant}.` };
}
