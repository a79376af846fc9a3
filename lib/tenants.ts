import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ConfigurationError } from './errors/configuration.error.js';
import { InvalidIdentifierError } from './errors/invalid-identifier.error.js';
import { ShuttingDownError } from './errors/shutting-down.error.js';
import { TenantRequiredError } from './errors/tenant-required.error.js';
import { UnknownTenantError } from './errors/unknown-tenant.error.js';
import { EventStore } from './event-store/event-store.interface.js';
import { sharedPool } from './event-store/sql/pg/shared-pool.js';
import type { PostgresStoreOptions } from './event-store/sql/pg/postgres-store.options.js';
import type { Pool } from 'pg';
import { MODULE_OPTIONS_TOKEN } from './event-sourcing.module-definition.js';
import type { EventSourcingModuleOptions } from './options.js';
import { PubSub, PubSubChannels } from './pubsub/pubsub.interface.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { CommandMiddlewareChain } from './commands/command-middleware-chain.js';
import { TenantDirectory, type TenantListing } from './tenants/tenant-directory.js';
import { TenantScope } from './tenants/tenant-scope.js';
import { TenantEngine } from './tenant-engine.js';
import { TenantEngines } from './tenant-engines.js';
import { tenantEngineOptions } from './tenant-engine-options.js';
import { TENANT_ENGINE_MODULE, type TenantEngineModuleFactory } from './tenant-engine-module.js';
import type { TenantRouter } from './tenants/tenant-router.js';
import { tenantIdProblem } from './tenants/tenants.options.js';

/**
 * The tenants this application serves (`tenants` option), each with an engine of its own started
 * on this node: at boot for every listed tenant, and at run time when one is added here, announced
 * by another node, found by the periodic re-read of the list, or first named by a command. A
 * removed tenant's engine stops the same ways. Without the option, it serves none and every call
 * goes to the module's own store.
 */
@Injectable()
export class Tenants implements TenantRouter, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Tenants');
  private readonly engines = new TenantEngines((tenant) => this.start(tenant), this.logger);
  private readonly directory: TenantDirectory;
  private stopRefresh?: () => void;
  private closing = false;
  /** The pool the tenants' stores of this node borrow from, with `tenants.poolSize`; made on first use. */
  private pool?: Pool;

  constructor(
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(MODULE_OPTIONS_TOKEN) private readonly raw: EventSourcingModuleOptions,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly discovery: DiscoveryService,
    @Inject(TENANT_ENGINE_MODULE) private readonly engineModule: TenantEngineModuleFactory,
    private readonly middleware: CommandMiddlewareChain,
  ) {
    this.directory = new TenantDirectory(store);
  }

  get enabled(): boolean {
    return this.options.tenants !== undefined;
  }

  /**
   * Adds a tenant, creating its schema, and starts its engine here; other nodes start theirs on the
   * announcement (or their next re-read of the list). Adding a listed tenant only starts it here.
   * Throws `InvalidIdentifierError` for a malformed id (nothing written).
   */
  async add(tenant: string): Promise<TenantEngine> {
    this.assertServing(tenant);
    if (await this.directory.add(tenant)) await this.pubsub.publish(PubSubChannels.tenantAdded, { tenant });
    return this.engineOf(tenant);
  }

  /**
   * Takes a tenant off the list and stops its engine here, as a shutdown would (commands in flight
   * finish, its subscriptions are handed over); other nodes stop theirs on the announcement (or
   * their next re-read of the list). Its commands and reads are then refused with
   * `UnknownTenantError`. Its store is kept as it is: adding the tenant again serves its events.
   * Throws `UnknownTenantError` for a tenant not listed (nothing written).
   */
  async remove(tenant: string): Promise<void> {
    this.assertServing(tenant);
    if (!(await this.directory.remove(tenant))) throw new UnknownTenantError(tenant);
    await this.pubsub.publish(PubSubChannels.tenantRemoved, { tenant });
    await this.retire(tenant);
  }

  /** Every tenant listed, whichever node added it. */
  list(): Promise<string[]> {
    this.assertServing();
    return this.directory.list();
  }

  /**
   * Runs `work` for `tenant`: every command, read and forget within it that names no tenant is that
   * tenant's, across every await, through `CommandBus.execute` of @nestjs/cqrs too. One that names a
   * tenant goes to the tenant it names. Throws `InvalidIdentifierError` for a malformed id, running nothing.
   */
  run<T>(tenant: string, work: () => T): T {
    this.assertServing(tenant);
    return TenantScope.run(tenant, work);
  }

  /** The tenant of the innermost {@link run} around the caller, or undefined outside any. */
  current(): string | undefined {
    return TenantScope.current();
  }

  /** The engine of a listed tenant (by default the one of {@link run}), started here on first use. */
  async engine(tenant = TenantScope.current(), operation = 'this call'): Promise<TenantEngine> {
    if (tenant === undefined) throw new TenantRequiredError(operation);
    this.assertServing(tenant);
    const running = this.engines.find(tenant);
    if (running) return running;
    if (!(await this.directory.list()).includes(tenant)) throw new UnknownTenantError(tenant);
    return this.engineOf(tenant);
  }

  /** The tenants whose engines run on this node (or are starting). */
  running(): string[] {
    return this.engines.names();
  }

  /** The engines started on this node, by tenant id. */
  started(): TenantEngine[] {
    return this.engines.started();
  }

  failures(): Record<string, string> {
    return this.engines.failures();
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.options.tenants;
    if (!settings) return;
    // The list decides, never the message: a stray one starts or stops nothing.
    const refreshOn = (channel: string) => this.pubsub.subscribe(channel, () => void this.refresh());
    const unsubscribe = [refreshOn(PubSubChannels.tenantAdded), refreshOn(PubSubChannels.tenantRemoved)];
    const timer = setInterval(() => void this.refresh(), settings.refreshInterval);
    timer.unref();
    this.stopRefresh = () => {
      unsubscribe.forEach((stop) => stop());
      clearInterval(timer);
    };
    for (const tenant of settings.initial) await this.directory.add(tenant);
    // A tenant whose store is out does not keep the others from being served: it is retried at each re-read.
    await this.serve(await this.directory.read());
  }

  /** Stops every engine while the application's providers still work for their deliveries in flight. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.stopRefresh?.();
    await this.engines.stopAll();
    await this.pool?.end();
  }

  private async refresh(): Promise<void> {
    try {
      await this.serve(await this.directory.read());
    } catch (error) {
      this.logger.warn(`Could not re-read the tenant list: ${(error as Error).message}; trying again in ${this.options.tenants!.refreshInterval} ms`);
    }
  }

  /**
   * Starts the listed tenants and stops the removed ones. Only a removal recorded in the list stops
   * an engine: a read older than a command's own may not list a tenant added since. A read older
   * than one this node has seen changes nothing.
   */
  private async serve(listing: TenantListing): Promise<void> {
    if (this.closing || !this.directory.current(listing)) return;
    const { listed, removed } = listing;
    const starts = listed.map((tenant) => this.engineOf(tenant).catch(() => undefined));
    await Promise.all([...starts, ...removed.map((tenant) => this.retire(tenant))]);
  }

  private engineOf(tenant: string): Promise<TenantEngine> {
    if (this.closing) return Promise.reject(new ShuttingDownError(this.options.nodeName, `the engine of tenant '${tenant}'`));
    return this.engines.start(tenant);
  }

  private async retire(tenant: string): Promise<void> {
    if (!this.engines.find(tenant)) return;
    await this.engines.stop(tenant);
    this.logger.log(`No longer serving tenant '${tenant}': it was removed`);
  }

  /**
   * Started as the tenant's own work: the engine's loops (subscriptions, schedules) keep the scope
   * they start in, so none carries the scope of whichever caller happened to start it.
   */
  private start(tenant: string): Promise<TenantEngine> {
    return TenantScope.run(tenant, () => this.startEngine(tenant));
  }

  private async startEngine(tenant: string): Promise<TenantEngine> {
    // The application's middleware instances, built here where their classes' dependencies are.
    const middleware = await this.middleware.build();
    const raw = { ...this.raw, commands: { ...this.raw.commands, middleware } };
    const options = tenantEngineOptions(raw, this.options.tenants!, this.store, this.options.nodeName, tenant, this.sharedPool());
    const engine = await TenantEngine.start(tenant, options, this.engineModule, this.discovery);
    this.logger.log(`Serving tenant '${tenant}'`);
    return engine;
  }

  private sharedPool(): Pool | undefined {
    const size = this.options.tenants!.poolSize;
    if (size === undefined) return undefined;
    return (this.pool ??= sharedPool(this.raw.eventStore as PostgresStoreOptions, size));
  }

  private assertServing(tenant?: string): void {
    if (!this.enabled) {
      const reason = "this module serves no tenants: set the 'tenants' option";
      throw tenant === undefined ? new ConfigurationError(reason) : new UnknownTenantError(tenant, reason);
    }
    const problem = tenant === undefined ? undefined : tenantIdProblem(tenant);
    if (problem) throw new InvalidIdentifierError('tenant id', problem);
  }
}
