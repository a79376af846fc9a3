import type { FactoryProvider, Provider } from '@nestjs/common';
import { AggregateExecutor } from './aggregates/aggregate-executor.js';
import { AggregateInvalidation } from './aggregates/aggregate-invalidation.js';
import { AggregateLoader } from './aggregates/aggregate-loader.js';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { AggregateReader } from './aggregates/aggregate-reader.js';
import { CommandRouter } from './aggregates/command-router.js';
import { CommandRepeats } from './aggregates/command-repeats.js';
import { CommitPublisher } from './aggregates/commit-publisher.js';
import { AGGREGATE_SETTINGS, type AggregateSettings } from './aggregates/live-aggregates.options.js';
import { CommandAdmission } from './commands/command-admission.js';
import { CommandGateway } from './commands/command-gateway.js';
import { CommandMiddlewareChain } from './commands/command-middleware-chain.js';
import { COMMAND_SETTINGS, type CommandSettings } from './commands/command.options.js';
import { CommandRetention } from './commands/command-retention.js';
import { CqrsCommandBridge } from './commands/cqrs-command-bridge.js';
import { CLUSTER_NODE, type ClusterNode } from './cluster/cluster-node.js';
import {
  createClusterNode,
  createEventStore,
  createPubSub,
  createRegistry,
  createSpreadMembership,
  createTelemetry,
} from './event-sourcing.adapters.js';
import { SpreadMembership } from './subscriptions/spread/spread-membership.js';
import { DataSubjects } from './data-subjects.js';
import { EventSourcingExplorer } from './event-sourcing.explorer.js';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { EventSourcingShutdown } from './event-sourcing.shutdown.js';
import { EventSourcingHealthIndicator } from './event-sourcing.health-indicator.js';
import { MODULE_OPTIONS_TOKEN } from './event-sourcing.module-definition.js';
import { EventStore, isEventStoreInstance } from './event-store/event-store.interface.js';
import { AppendHook } from './event-store/append-hook.interface.js';
import { EventSerializer } from './events/event-serializer.js';
import { UnreadableEvents } from './events/unreadable-events.js';
import { StateCodec } from './events/state-codec.js';
import type { EventSourcingModuleOptions } from './options.js';
import { ClusterNodeHost, ConnectionHost, RegistryHost } from './port-hosts.js';
import { PubSub } from './pubsub/pubsub.interface.js';
import { Registry } from './registry/registry.interface.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions, resolveOptions } from './resolve-options.js';
import { CommandDispatcher } from './process-managers/command-dispatcher.interface.js';
import { CommandClassResolver } from './process-managers/command-class-resolver.interface.js';
import { ConsistencyWaiter } from './subscriptions/consistency-waiter.js';
import { OriginDispatcher } from './subscriptions/dispatch-origin.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { SubscriptionHost } from './subscriptions/subscription-host.js';
import { InlineProjections } from './subscriptions/inline-projections.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { DeliveryFactory } from './subscriptions/delivery-factory.js';
import { ProcessManagerDeliveryFactory } from './process-managers/process-manager-delivery.factory.js';
import { SUBSCRIPTIONS_SETTINGS, type SubscriptionsSettings } from './subscriptions/subscriptions.options.js';
import { Telemetry } from './telemetry/telemetry.interface.js';
import { TelemetryGaugesHost } from './telemetry-gauges.js';
import { OWN_TENANT, TenantRouter } from './tenants/tenant-router.js';
import { Tenants } from './tenants.js';

const EVENT_STORE_HOST = Symbol('EventStoreHost');
const PUBSUB_HOST = Symbol('PubSubHost');
const REGISTRY_HOST = Symbol('RegistryHost');
const CLUSTER_NODE_HOST = Symbol('ClusterNodeHost');

/** A part of the resolved options, under its own token, for the classes that read only that part. */
const settings = <T>(provide: symbol, pick: (options: ResolvedOptions) => T): FactoryProvider<T> => ({
  provide,
  inject: [EVENT_SOURCING_OPTIONS],
  useFactory: pick,
});

/** The port a host holds, under the port's own token. */
const portOf = (provide: symbol, host: symbol): FactoryProvider => ({
  provide,
  inject: [host],
  useFactory: (held: { port: unknown }) => held.port,
});

/**
 * The module's providers. The deployment mode is decided by the three hosts below, through the
 * factories of event-sourcing.adapters.ts; everything else is an injectable class.
 */
export const eventSourcingProviders: Provider[] = [
  { provide: EVENT_SOURCING_OPTIONS, inject: [MODULE_OPTIONS_TOKEN], useFactory: (raw: EventSourcingModuleOptions) => resolveOptions(raw) },
  settings<CommandSettings>(COMMAND_SETTINGS, (o) => o.commands),
  settings<AggregateSettings>(AGGREGATE_SETTINGS, (o) => ({ ...o.aggregates, maxAttempts: o.commands.maxAttempts })),
  settings<SubscriptionsSettings>(SUBSCRIPTIONS_SETTINGS, (o) => o.subscriptions),
  {
    provide: EVENT_STORE_HOST,
    inject: [EVENT_SOURCING_OPTIONS],
    useFactory: (o: ResolvedOptions) => new ConnectionHost(createEventStore(o.eventStore), !isEventStoreInstance(o.eventStore)),
  },
  {
    provide: CLUSTER_NODE_HOST,
    inject: [EVENT_SOURCING_OPTIONS, EventStore],
    useFactory: async (o: ResolvedOptions, store: EventStore) => new ClusterNodeHost(await createClusterNode(o.cluster, store)),
  },
  { provide: CLUSTER_NODE, inject: [CLUSTER_NODE_HOST], useFactory: (host: ClusterNodeHost) => host.node },
  {
    provide: PUBSUB_HOST,
    inject: [EVENT_SOURCING_OPTIONS, CLUSTER_NODE],
    useFactory: async (o: ResolvedOptions, cluster: ClusterNode | null) =>
      new ConnectionHost(await createPubSub(o.pubsub, o.nodeName, cluster), true),
  },
  {
    provide: REGISTRY_HOST,
    inject: [EVENT_SOURCING_OPTIONS, CommandRouter, AggregateManager, CLUSTER_NODE, EventSerializer, Telemetry, StateCodec],
    useFactory: (
      o: ResolvedOptions,
      router: CommandRouter,
      aggregates: AggregateManager,
      cluster: ClusterNode | null,
      serializer: EventSerializer,
      telemetry: Telemetry,
      codec: StateCodec,
    ) => new RegistryHost(createRegistry(o.registry, router, aggregates, cluster, serializer, telemetry, codec)),
  },
  portOf(EventStore, EVENT_STORE_HOST),
  portOf(PubSub, PUBSUB_HOST),
  portOf(Registry, REGISTRY_HOST),
  { provide: EventSerializer, inject: [EVENT_SOURCING_OPTIONS], useFactory: (o: ResolvedOptions) => new EventSerializer([], o.upcasters) },
  { provide: StateCodec, inject: [EVENT_SOURCING_OPTIONS], useFactory: (o: ResolvedOptions) => o.stateCodec },
  {
    provide: ConsistencyWaiter,
    inject: [EventStore, PubSub],
    useFactory: (store: EventStore, pubsub: PubSub) => new ConsistencyWaiter(store, pubsub),
  },
  { provide: CommandClassResolver, useExisting: CommandRouter },
  // A process manager finishing its event in flight may still send commands during shutdown.
  {
    provide: CommandDispatcher,
    inject: [CommandGateway, CommandAdmission],
    useFactory: (gateway: CommandGateway, admission: CommandAdmission): CommandDispatcher => ({
      dispatch: (command, options) => admission.continue(() => gateway.dispatch(command, options)),
    }),
  },
  { provide: CommandAdmission, inject: [EVENT_SOURCING_OPTIONS], useFactory: (o: ResolvedOptions) => new CommandAdmission(o.nodeName) },
  {
    provide: Telemetry,
    inject: [EVENT_SOURCING_OPTIONS, { token: OWN_TENANT, optional: true }],
    useFactory: (o: ResolvedOptions, tenant?: string) => createTelemetry(o.telemetry, o.nodeName, undefined, tenant),
  },
  TelemetryGaugesHost,
  CommandRouter,
  AggregateLoader,
  UnreadableEvents,
  AggregateExecutor,
  AggregateManager,
  AggregateInvalidation,
  AggregateReader,
  CommitPublisher,
  CommandRepeats,
  CommandMiddlewareChain,
  CommandGateway,
  { provide: OriginDispatcher, useExisting: CommandGateway },
  CommandRetention,
  CqrsCommandBridge,
  SubscriptionCatalog,
  InlineProjections,
  { provide: AppendHook, useExisting: InlineProjections },
  { provide: DeliveryFactory, useClass: ProcessManagerDeliveryFactory },
  { provide: SpreadMembership, inject: [CLUSTER_NODE], useFactory: createSpreadMembership },
  SubscriptionManager,
  SubscriptionHost,
  EventSourcingExplorer,
  EventSourcingHealth,
  EventSourcingShutdown,
  EventSourcingHealthIndicator,
  DataSubjects,
  Tenants,
  { provide: TenantRouter, useExisting: Tenants },
];
