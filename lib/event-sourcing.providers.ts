import type { Provider } from '@nestjs/common';
import { AggregateReader } from './aggregates/aggregate-reader.js';
import { AggregateExecutor } from './aggregates/aggregate-executor.js';
import { AggregateLoader } from './aggregates/aggregate-loader.js';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { CommitPublisher } from './aggregates/commit-publisher.js';
import { CommandGateway } from './commands/command-gateway.js';
import { CommandRouter } from './commands/command-router.js';
import { CqrsCommandBridge } from './commands/cqrs-command-bridge.js';
import { EventSourcingExplorer } from './event-sourcing.explorer.js';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { EventSourcingLifecycle } from './event-sourcing.lifecycle.js';
import { MODULE_OPTIONS_TOKEN } from './event-sourcing.module-definition.js';
import { createEventStore } from './event-store/create-event-store.js';
import { EventSerializer } from './event-store/event-serializer.js';
import { EventStore } from './event-store/event-store.interface.js';
import { createPubSub } from './pubsub/create-pubsub.js';
import { PubSub } from './pubsub/pubsub.interface.js';
import { createRegistry } from './registry/create-registry.js';
import { Registry } from './registry/registry.interface.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions, resolveOptions } from './resolve-options.js';
import { CommandDispatcher } from './subscriptions/command-dispatcher.interface.js';
import { ConsistencyWaiter } from './subscriptions/consistency-waiter.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';

const factory = <T>(provide: unknown, inject: unknown[], useFactory: (...args: any[]) => T): Provider => ({
  provide: provide as never,
  inject: inject as never[],
  useFactory,
});

/**
 * Every provider of the module. The deployment mode is decided here and only here: the
 * options pick the EventStore, PubSub and Registry implementations.
 */
export const eventSourcingProviders: Provider[] = [
  factory(EVENT_SOURCING_OPTIONS, [MODULE_OPTIONS_TOKEN], resolveOptions),
  factory(EventStore, [EVENT_SOURCING_OPTIONS], (o: ResolvedOptions) => createEventStore(o.eventStore)),
  factory(PubSub, [EVENT_SOURCING_OPTIONS], (o: ResolvedOptions) => createPubSub(o.pubsub, o.nodeName)),
  factory(Registry, [EVENT_SOURCING_OPTIONS, CommandRouter, AggregateManager], createRegistry),
  factory(EventSerializer, [EVENT_SOURCING_OPTIONS], (o: ResolvedOptions) => new EventSerializer([], o.upcasters)),
  factory(AggregateLoader, [EventStore, EventSerializer], (store, serializer) => new AggregateLoader(store, serializer)),
  factory(
    AggregateExecutor,
    [EventStore, EventSerializer, AggregateLoader, EVENT_SOURCING_OPTIONS, CommitPublisher],
    (store, serializer, loader, o: ResolvedOptions, publisher: CommitPublisher) =>
      new AggregateExecutor(store, serializer, loader, o.commands.maxAttempts, publisher.published.bind(publisher)),
  ),
  factory(AggregateManager, [AggregateLoader, AggregateExecutor, EVENT_SOURCING_OPTIONS], (loader, executor, o: ResolvedOptions) =>
    new AggregateManager(loader, executor, o.aggregates),
  ),
  factory(ConsistencyWaiter, [EventStore, PubSub], (store, pubsub) => new ConsistencyWaiter(store, pubsub)),
  factory(
    SubscriptionManager,
    [EventStore, PubSub, EventSerializer, EVENT_SOURCING_OPTIONS, CommandDispatcher],
    (store, pubsub, serializer, o: ResolvedOptions, dispatcher) => new SubscriptionManager(store, pubsub, serializer, o.subscriptions, dispatcher),
  ),
  { provide: CommandDispatcher, useExisting: CommandGateway },
  CommandRouter,
  AggregateReader,
  SubscriptionCatalog,
  CommitPublisher,
  CommandGateway,
  CqrsCommandBridge,
  EventSourcingExplorer,
  EventSourcingHealth,
  EventSourcingLifecycle,
];
