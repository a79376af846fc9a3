import { DataSubjects } from './data-subjects.js';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AggregateReader } from './aggregates/aggregate-reader.js';
import { CommandGateway } from './commands/command-gateway.js';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { EventSourcingShutdown } from './event-sourcing.shutdown.js';
import { EventSourcingHealthIndicator } from './event-sourcing.health-indicator.js';
import { ConfigurableModuleClass } from './event-sourcing.module-definition.js';
import { eventSourcingProviders } from './event-sourcing.providers.js';
import { EventSerializer } from './events/event-serializer.js';
import { EventStore } from './event-store/event-store.interface.js';
import { type EventSourcingFeatureOptions, FeatureRegistration } from './feature-registration.js';
import { PubSub } from './pubsub/pubsub.interface.js';
import { EVENT_SOURCING_OPTIONS } from './resolve-options.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { TENANT_ENGINE_MODULE, type TenantEngineModuleFactory } from './tenant-engine-module.js';
import { OWN_TENANT, PROVIDER_SOURCE } from './tenants/tenant-router.js';
import { Tenants } from './tenants.js';

/** Holds one `forFeature` registration. */
@Module({})
class EventSourcingFeatureModule {}

/** The root of a tenant's engine: which tenant it serves, and where the application's providers are. */
@Module({})
class TenantEngineModule {}

const tenantEngineModule: TenantEngineModuleFactory = (options, tenant, source) => ({
  module: TenantEngineModule,
  global: true,
  imports: [EventSourcingModule.forRoot(options)],
  providers: [
    { provide: OWN_TENANT, useValue: tenant },
    { provide: PROVIDER_SOURCE, useValue: source },
  ],
  exports: [OWN_TENANT, PROVIDER_SOURCE],
});

/**
 * Event sourcing for a NestJS application. Import `forRoot` (or `forRootAsync`) once, and
 * `forFeature({ aggregates, processManagers })` wherever those classes live.
 */
@Module({
  imports: [DiscoveryModule, CqrsModule.forRoot()],
  providers: [...eventSourcingProviders, { provide: TENANT_ENGINE_MODULE, useValue: tenantEngineModule }],
  exports: [
    CommandGateway,
    AggregateReader,
    EventStore,
    PubSub,
    EventSerializer,
    EventSourcingHealth,
    EventSourcingShutdown,
    EventSourcingHealthIndicator,
    SubscriptionManager,
    DataSubjects,
    Tenants,
    EVENT_SOURCING_OPTIONS,
  ],
})
export class EventSourcingModule extends ConfigurableModuleClass {
  /** Registers aggregates and process managers; call it in as many modules as you like. */
  static forFeature(options: EventSourcingFeatureOptions): DynamicModule {
    return {
      module: EventSourcingFeatureModule,
      providers: [{ provide: Symbol('EventSourcingFeature'), useValue: new FeatureRegistration(options) }],
    };
  }
}
