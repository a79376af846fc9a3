import type { Provider, Type } from '@nestjs/common';
import { AggregateReader } from './aggregates/aggregate-reader.js';
import { UnknownTenantError } from './errors/unknown-tenant.error.js';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { EventStore } from './event-store/event-store.interface.js';
import { INSPECTOR_SOURCES, type InspectorSource, type InspectorSources } from './inspector/inspector-sources.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { Tenants } from './tenants.js';

type Lookup = (token: Type<unknown> | symbol) => unknown;

/** The providers a store's source is built from: the root module's, or a tenant engine's. */
const PARTS = [EventStore, EventSourcingHealth, AggregateReader, SubscriptionManager, EVENT_SOURCING_OPTIONS] as const;

function sourceOf(
  store: EventStore,
  health: EventSourcingHealth,
  reader: AggregateReader,
  subscriptions: SubscriptionManager,
  { stateCodec }: ResolvedOptions,
): InspectorSource {
  return {
    store,
    nodeStatus: () => health.status(),
    readState: async (streamId, options) => {
      const { aggregate, version, state } = await reader.loadStream(streamId, options);
      return { streamId, aggregate, version, state: stateCodec.encode(state) };
    },
    actions: subscriptions,
  };
}

const sourceFrom = (get: Lookup): InspectorSource => sourceOf(...(PARTS.map((token) => get(token)) as Parameters<typeof sourceOf>));

/** The inspector's sources: the module's own store, and each tenant's through its engine on this node. */
export const inspectorSourcesProvider: Provider = {
  provide: INSPECTOR_SOURCES,
  useFactory: (tenants: Tenants, ...parts: Parameters<typeof sourceOf>): InspectorSources => {
    const own = sourceOf(...parts);
    return {
      tenants: async () => (tenants.enabled ? (await tenants.list()).sort() : undefined),
      of: async (tenant) => {
        if (tenant === undefined) return own;
        if (!tenants.enabled) throw new UnknownTenantError(tenant, "this module serves no tenants: set the 'tenants' option");
        const engine = await tenants.engine(tenant, 'the inspector');
        return sourceFrom((token) => engine.get(token));
      },
    };
  },
  inject: [Tenants, ...PARTS],
};
