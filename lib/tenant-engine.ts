import type { INestApplicationContext, Type } from '@nestjs/common';
import { type DiscoveryService, NestFactory } from '@nestjs/core';
import { createEventStore } from './event-sourcing.adapters.js';
import type { EventSourcingModuleOptions } from './options.js';
import type { TenantEngineModuleFactory } from './tenant-engine-module.js';
import { AggregateReader } from './aggregates/aggregate-reader.js';
import { CommandGateway } from './commands/command-gateway.js';
import { DataSubjects } from './data-subjects.js';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { EventStore } from './event-store/event-store.interface.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import type { TenantHandle } from './tenants/tenant-router.js';

/**
 * One tenant's engine: a Nest application context of its own holding the whole module (store,
 * live aggregates, subscriptions, process managers) for that tenant's store alone, and running
 * the application's own handlers, projectors and process managers. Nothing in it can reach
 * another tenant's store: it was never given one.
 */
export class TenantEngine implements TenantHandle {
  /**
   * Starts tenant `tenant`'s engine with `options`. Its store is opened once on its own first
   * (creating its schema): a store that cannot open fails the start there, before the engine has
   * opened any other connection that a failed start would leave behind.
   */
  static async start(
    tenant: string,
    options: EventSourcingModuleOptions,
    moduleOf: TenantEngineModuleFactory,
    source: DiscoveryService,
  ): Promise<TenantEngine> {
    const store = createEventStore(options.eventStore);
    try {
      await store.init();
    } finally {
      await store.close();
    }
    const context = await NestFactory.createApplicationContext(moduleOf(options, tenant, source), { abortOnError: false });
    return new TenantEngine(tenant, context);
  }

  /** Providers already looked up: the gateway is asked for on every command routed here. */
  private readonly resolved = new Map<Type | symbol, unknown>();

  constructor(
    readonly tenant: string,
    private readonly context: INestApplicationContext,
  ) {}

  /** Dispatches this tenant's commands. */
  get commands(): CommandGateway {
    return this.get(CommandGateway);
  }

  /** Reads this tenant's aggregates. */
  get reader(): AggregateReader {
    return this.get(AggregateReader);
  }

  /** This tenant's event store. */
  get store(): EventStore {
    return this.get<EventStore>(EventStore);
  }

  /** Operates this tenant's subscriptions: status, reset, pause, parked events. */
  get subscriptions(): SubscriptionManager {
    return this.get(SubscriptionManager);
  }

  /** Forgets this tenant's data subjects. */
  get subjects(): DataSubjects {
    return this.get(DataSubjects);
  }

  /** This tenant's store, pubsub and subscriptions, as health checks see them. */
  get health(): EventSourcingHealth {
    return this.get(EventSourcingHealth);
  }

  get<T>(type: Type<T> | symbol): T {
    if (!this.resolved.has(type)) this.resolved.set(type, this.context.get<T>(type, { strict: false }));
    return this.resolved.get(type) as T;
  }

  /** Stops the engine as an application shutdown would: subscriptions first, then the store. */
  close(): Promise<void> {
    return this.context.close();
  }
}
