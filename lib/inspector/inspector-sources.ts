import type { EventStore } from '../event-store/event-store.interface.js';
import type { InspectorActions } from './inspector-actions.js';
import type { InspectorNodeStatus } from './inspector-node-status.js';
import type { InspectorStateReader } from './inspector-state.js';

/** What the inspector shows and operates for one store: the module's own, or one tenant's. */
export interface InspectorSource {
  store: EventStore;
  /** This process's view of that store's subscriptions and aggregates. */
  nodeStatus(): InspectorNodeStatus;
  readState: InspectorStateReader;
  actions: InspectorActions;
}

/**
 * The stores the inspector can show: the module's own, and, when the module serves tenants, each
 * tenant's, through the engine that serves it on this node (started on first use, as a command
 * naming the tenant would start it).
 */
export interface InspectorSources {
  /** The tenants to choose from, or undefined when the module serves none. */
  tenants(): Promise<string[] | undefined>;
  /**
   * The source of `tenant`, or of the module's own store when undefined. Throws
   * `UnknownTenantError` for a tenant that is not listed, or named where the module serves none.
   */
  of(tenant: string | undefined): Promise<InspectorSource>;
}

/** Injection token of the {@link InspectorSources}. */
export const INSPECTOR_SOURCES = Symbol('INSPECTOR_SOURCES');
