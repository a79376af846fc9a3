import { Inject, Injectable } from '@nestjs/common';
import { AggregateExecutor, type ExecutionStats } from './aggregates/aggregate-executor.js';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { CLUSTER_NODE, type ClusterNode } from './cluster/cluster-node.js';
import { type UnreadableEvent, UnreadableEvents } from './events/unreadable-events.js';
import type { ClusterStatus } from './cluster/cluster-status.js';
import { PubSub, type PubSubStatus } from './pubsub/pubsub.interface.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import type { SubscriptionStatus } from './subscriptions/subscription-status.js';
import { TenantRouter } from './tenants/tenant-router.js';

/** A point-in-time view of this node, for health checks and dashboards. */
export interface EventSourcingStatus {
  node: string;
  pubsub: PubSubStatus;
  /** Members, links and this node's address, in cluster mode. */
  cluster?: ClusterStatus;
  subscriptions: SubscriptionStatus[];
  aggregates: {
    /** Instances live in this process. */
    live: number;
    /** Stored events aggregate loads failed on (first one per type): the node is not ready while any is listed. */
    unreadable: UnreadableEvent[];
  } & ExecutionStats;
  /** Each tenant's engine started on this node, by tenant id, when the module serves tenants. */
  tenants?: Record<string, EventSourcingStatus>;
}

/** Reads this node's status; inject it into a health endpoint. */
@Injectable()
export class EventSourcingHealth {
  constructor(
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly subscriptions: SubscriptionManager,
    private readonly aggregates: AggregateManager,
    private readonly executor: AggregateExecutor,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLUSTER_NODE) private readonly cluster: ClusterNode | null,
    private readonly unreadable: UnreadableEvents,
    @Inject(TenantRouter) private readonly tenants: TenantRouter,
  ) {}

  status(): EventSourcingStatus {
    return {
      node: this.options.nodeName,
      pubsub: this.pubsub.status(),
      ...(this.cluster ? { cluster: this.cluster.status() } : {}),
      subscriptions: this.subscriptions.statuses(),
      aggregates: { live: this.aggregates.size, unreadable: this.unreadable.list(), ...this.executor.stats },
      ...(this.tenants.enabled && { tenants: this.tenantStatuses() }),
    };
  }

  private tenantStatuses(): Record<string, EventSourcingStatus> {
    return Object.fromEntries(this.tenants.started().map((engine) => [engine.tenant, engine.get(EventSourcingHealth).status()]));
  }
}
