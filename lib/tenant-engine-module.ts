import type { DynamicModule } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import type { EventSourcingModuleOptions } from './options.js';

/**
 * Builds the root module of a tenant's engine: the event-sourcing module with the tenant's options,
 * told which tenant it serves and given the application's providers to find its handlers among.
 * Provided by the module itself, which is what it builds.
 */
export type TenantEngineModuleFactory = (options: EventSourcingModuleOptions, tenant: string, source: DiscoveryService) => DynamicModule;

/** Injection token of the {@link TenantEngineModuleFactory}. */
export const TENANT_ENGINE_MODULE = Symbol('TenantEngineModule');
