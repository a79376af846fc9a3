import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { CommandRouter } from './commands/command-router.js';
import { CqrsCommandBridge } from './commands/cqrs-command-bridge.js';
import { ConfigurationError } from './errors/configuration.error.js';
import { EventSourcingExplorer } from './event-sourcing.explorer.js';
import { isEventStoreInstance } from './event-store/create-event-store.js';
import { EventSerializer } from './event-store/event-serializer.js';
import { EventStore } from './event-store/event-store.interface.js';
import { type AppendedMessage, PubSub, PubSubChannels } from './pubsub/pubsub.interface.js';
import { Registry } from './registry/registry.interface.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { ConsistencyWaiter } from './subscriptions/consistency-waiter.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';

/**
 * Brings the parts up in order (discovery and checks, store, pubsub, registry, then the
 * subscriptions once the whole application is ready) and down in reverse.
 */
@Injectable()
export class EventSourcingLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe?: () => void;

  constructor(
    private readonly explorer: EventSourcingExplorer,
    private readonly router: CommandRouter,
    private readonly serializer: EventSerializer,
    private readonly bridge: CqrsCommandBridge,
    private readonly catalog: SubscriptionCatalog,
    private readonly subscriptions: SubscriptionManager,
    private readonly waiter: ConsistencyWaiter,
    private readonly aggregates: AggregateManager,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PubSub) private readonly pubsub: PubSub,
    @Inject(Registry) private readonly registry: Registry,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const app = this.explorer.explore();
    app.aggregates.forEach((definition) => this.router.register(definition));
    for (const type of [...this.options.events, ...app.eventClasses]) {
      try {
        this.serializer.register(type);
      } catch (error) {
        throw new ConfigurationError((error as Error).message);
      }
    }
    this.catalog.set(app.subscriptions);
    this.bridge.bind(app.aggregates);
    await this.store.init();
    await this.pubsub.init();
    await this.registry.init();
    if (this.options.aggregates.invalidation) {
      this.unsubscribe = this.pubsub.subscribe<AppendedMessage>(PubSubChannels.appended, (message, from) => {
        if (from !== this.pubsub.nodeName) this.aggregates.invalidate(message.streamId, message.version);
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriptions.start(this.catalog.all());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.waiter.close();
    await this.subscriptions.stop();
    await this.registry.close();
    await this.pubsub.close();
    if (!isEventStoreInstance(this.options.eventStore)) await this.store.close();
  }
}
