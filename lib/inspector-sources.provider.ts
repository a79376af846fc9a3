import type { Provider } from '@nestjs/common';
import { AggregateReader } from './aggregates/aggregate-reader.js';
import { UnknownTenantError } from './errors/unknown-tenant.error.js';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { EventStore } from './event-store/event-store.interface.js';
import { INSPECTOR_SOURCES, type InspectorSource, type InspectorSources } from './inspector/inspector-sources.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { Tenants } from './tenants.js';

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

/** The inspector's sources: the module's own store, and each tenant's through its engine on this node. */
export const inspectorSourcesProvider: Provider = {
  provide: INSPECTOR_SOURCES,
  useFactory: (tenants: Tenants, ...own: Parameters<typeof sourceOf>): InspectorSources => {
    const ownSource = sourceOf(...own);
    return {
      tenants: async () => (tenants.enabled ? (await tenants.list()).sort() : undefined),
      of: async (tenant) => {
        if (tenant === undefined) return ownSource;
        if (!tenants.enabled) throw new UnknownTenantError(tenant, "this module serves no tenants: set the 'tenants' option");
        const engine = await tenants.engine(tenant, 'the inspector');
        return sourceOf(engine.store, engine.health, engine.reader, engine.subscriptions, engine.get<ResolvedOptions>(EVENT_SOURCING_OPTIONS));
      },
    };
  },
  inject: [Tenants, EventStore, EventSourcingHealth, AggregateReader, SubscriptionManager, EVENT_SOURCING_OPTIONS],
};
