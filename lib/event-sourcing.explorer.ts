import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { aggregateDefinitionOf } from './aggregates/aggregate-definition.js';
import { CommandRouter } from './aggregates/command-router.js';
import { CqrsCommandBridge } from './commands/cqrs-command-bridge.js';
import { checkDecoratorPlacement } from './decorator-placement.js';
import { ConfigurationError } from './errors/configuration.error.js';
import { EventSerializer } from './events/event-serializer.js';
import { FeatureRegistration } from './feature-registration.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { PROVIDER_SOURCE } from './tenants/tenant-router.js';
import { isSubscriber, subscriptionDefinitionOf } from './subscriptions/subscription-definition.factory.js';

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/**
 * Finds, when the module starts, the aggregates and process managers listed in `forFeature` and
 * every provider decorated with `@EventHandler` or `@Projector`, checks that they fit together,
 * and registers them: command routes, event types, subscriptions, and @nestjs/cqrs handlers.
 */
@Injectable()
export class EventSourcingExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly router: CommandRouter,
    private readonly serializer: EventSerializer,
    private readonly catalog: SubscriptionCatalog,
    private readonly bridge: CqrsCommandBridge,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: ResolvedOptions,
    /** In a tenant's engine: the application's discovery, whose handlers the engine runs. */
    @Optional() @Inject(PROVIDER_SOURCE) private readonly source?: DiscoveryService,
  ) {}

  onModuleInit(): void {
    const providers = (this.source ?? this.discovery).getProviders();
    const features = providers.map((w): unknown => w.instance).filter((i): i is FeatureRegistration => i instanceof FeatureRegistration);
    const aggregateClasses = unique(features.flatMap((f) => f.options.aggregates ?? []));
    const instances = providers.map((w): unknown => w.instance).filter((i): i is object => !!i && typeof i === 'object');
    checkDecoratorPlacement(instances, aggregateClasses);
    const aggregates = aggregateClasses.map(aggregateDefinitionOf);
    const handlers = instances.filter(isSubscriber).map(subscriptionDefinitionOf);
    const processManagers = unique(features.flatMap((f) => f.options.processManagers ?? [])).map(subscriptionDefinitionOf);
    const subscriptions = [...handlers, ...processManagers];

    aggregates.forEach((definition) => this.router.register(definition));
    this.catalog.set(subscriptions);
    // Every class a fresh process of this code can read: only these are ever written.
    const eventClasses = [
      ...this.options.events,
      ...features.flatMap((f) => f.options.events ?? []),
      ...aggregates.flatMap((a) => a.eventClasses),
      ...subscriptions.flatMap((s) => s.eventClasses ?? []),
    ];
    for (const type of eventClasses) {
      try {
        this.serializer.register(type);
      } catch (error) {
        throw new ConfigurationError((error as Error).message);
      }
    }
    this.bridge.bind(aggregates);
  }
}
