import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ConfigurationError } from './errors/configuration.error.js';
import { InvalidIdentifierError } from './errors/invalid-identifier.error.js';
import { ShuttingDownError } from './errors/shutting-down.error.js';
import { TenantRequiredError } from './errors/tenant-required.error.js';
import { UnknownTenantError } from './errors/unknown-tenant.error.js';
import { EventStore } from './event-store/event-store.interface.js';
import { MODULE_OPTIONS_TOKEN } from './event-sourcing.module-definition.js';
import type { EventSourcingModuleOptions } from './options.js';
import { PubSub, PubSubChannels } from './pubsub/pubsub.interface.js';
import { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
import { CommandMiddlewareChain } from './commands/command-middleware-chain.js';
import { TenantDirectory } from './tenants/tenant-directory.js';
import { TenantEngine } from './tenant-engine.js';
import { tenantEngineOptions } from './tenant-engine-options.js';
import { TENANT_ENGINE_MODULE, type TenantEngineModuleFactory } from './tenant-engine-module.js';
import type { TenantRouter } from './tenants/tenant-router.js';
import { tenantIdProblem } from './tenants/tenants.options.js';

/**
 * The tenants this application serves (`tenants` option), each with an engine of its own started
 * on this node: at boot for every listed tenant, and at run time when one is added here, announced
 * by another node, found by the periodic re-read of the list, or first named by a command. Without
 * the option, it serves none and every call goes to the module's own store.
 */
@Injectable()
export class Tenants implements TenantRouter, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Tenants');
  private readonly engines = new Map<string, Promise<TenantEngine>>();
  private readonly ready = new Map<string, TenantEngine>();
  /** Why each tenant whose engine failed to start did, until it starts. */
  private readonly failed = new Map<string, string>();
  private readonly directory: TenantDirectory;
  private stopRefresh?: () => void;
  private closing = false;

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

  /** Every tenant added, on any node. */
  list(): Promise<string[]> {
    this.assertServing();
    return this.directory.list();
  }

  /** The engine of a listed tenant, started here on first use. */
  async engine(tenant: string | undefined, operation = 'this call'): Promise<TenantEngine> {
    if (tenant === undefined) throw new TenantRequiredError(operation);
    this.assertServing(tenant);
    const running = this.engines.get(tenant);
    if (running) return running;
    if (!(await this.directory.list()).includes(tenant)) throw new UnknownTenantError(tenant);
    return this.engineOf(tenant);
  }

  /** The tenants whose engines run on this node (or are starting). */
  running(): string[] {
    return [...this.engines.keys()].sort();
  }

  /** The engines started on this node, by tenant id. */
  started(): TenantEngine[] {
    return [...this.ready.values()].sort((a, b) => (a.tenant < b.tenant ? -1 : 1));
  }

  failures(): Record<string, string> {
    return Object.fromEntries(this.failed);
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.options.tenants;
    if (!settings) return;
    // Only a listed tenant is started: a stray message creates no schema.
    const unsubscribe = this.pubsub.subscribe<{ tenant?: unknown }>(PubSubChannels.tenantAdded, (message) => {
      if (typeof message?.tenant === 'string') void this.engine(message.tenant, 'an announced tenant').catch(() => undefined);
    });
    const timer = setInterval(() => void this.refresh(), settings.refreshInterval);
    timer.unref();
    this.stopRefresh = () => {
      unsubscribe();
      clearInterval(timer);
    };
    for (const tenant of settings.initial) await this.directory.add(tenant);
    // A tenant whose store is out does not keep the others from being served: it is retried at each re-read.
    await this.serve(await this.directory.list());
  }

  /** Stops every engine while the application's providers still work for their deliveries in flight. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.stopRefresh?.();
    // One that failed to start has said so already; one that fails to close says so here, and the others still close.
    const closing = [...this.engines.entries()].map(([tenant, started]) =>
      started.then(
        (engine) => engine.close().catch((error: Error) => this.logger.error(`Tenant '${tenant}' did not close cleanly: ${error.message}`)),
        () => undefined,
      ),
    );
    await Promise.all(closing);
    this.engines.clear();
    this.ready.clear();
  }

  private async refresh(): Promise<void> {
    try {
      await this.serve(await this.directory.list());
    } catch (error) {
      this.logger.warn(`Could not re-read the tenant list: ${(error as Error).message}; trying again in ${this.options.tenants!.refreshInterval} ms`);
    }
  }

  private async serve(tenants: string[]): Promise<void> {
    await Promise.all(tenants.map((tenant) => this.engineOf(tenant).catch(() => undefined)));
  }

  /** Starts `tenant`'s engine once; a start that failed is tried again on the next call. */
  private engineOf(tenant: string): Promise<TenantEngine> {
    if (this.closing) return Promise.reject(new ShuttingDownError(this.options.nodeName, `the engine of tenant '${tenant}'`));
    let engine = this.engines.get(tenant);
    if (!engine) {
      const starting = this.start(tenant);
      this.engines.set(tenant, starting);
      starting.catch((error: Error) => {
        if (this.engines.get(tenant) === starting) this.engines.delete(tenant);
        this.failed.set(tenant, error.message);
        this.logger.error(`Tenant '${tenant}' did not start: ${error.message}; trying again at the next re-read of the list or command`);
      });
      engine = starting;
    }
    return engine;
  }

  private async start(tenant: string): Promise<TenantEngine> {
    // The application's middleware instances, built here where their classes' dependencies are.
    const middleware = await this.middleware.build();
    const raw = { ...this.raw, commands: { ...this.raw.commands, middleware } };
    const options = tenantEngineOptions(raw, this.options.tenants!, this.store, this.options.nodeName, tenant);
    const engine = await TenantEngine.start(tenant, options, this.engineModule, this.discovery);
    this.ready.set(tenant, engine);
    this.failed.delete(tenant);
    this.logger.log(`Serving tenant '${tenant}'`);
    return engine;
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
