import type { Logger } from '@nestjs/common';
import type { TenantEngine } from './tenant-engine.js';

/**
 * The tenants' engines of this node, one per tenant: started once however many callers ask at
 * the same time, started again by a later call after a failed start, and stopped when the tenant
 * is removed or the node stops.
 *
 * An engine leaves the map before it is closed, so a command arriving meanwhile finds no engine
 * and asks the tenant list, which no longer lists the tenant, instead of reaching an engine on its
 * way out.
 */
export class TenantEngines {
  private readonly engines = new Map<string, Promise<TenantEngine>>();
  private readonly ready = new Map<string, TenantEngine>();
  /** Why each tenant whose engine failed to start did, until it starts. */
  private readonly failed = new Map<string, string>();
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly startEngine: (tenant: string) => Promise<TenantEngine>,
    private readonly logger: Logger,
  ) {}

  /** The engine of `tenant` if it runs here or is starting. */
  find(tenant: string): Promise<TenantEngine> | undefined {
    return this.engines.get(tenant);
  }

  /** Tenants whose engines run here or are starting. */
  names(): string[] {
    return [...this.engines.keys()].sort();
  }

  /** The engines that finished starting. */
  started(): TenantEngine[] {
    return [...this.ready.values()].sort((a, b) => (a.tenant < b.tenant ? -1 : 1));
  }

  failures(): Record<string, string> {
    return Object.fromEntries(this.failed);
  }

  /** Starts `tenant`'s engine unless it runs or is starting. */
  start(tenant: string): Promise<TenantEngine> {
    const running = this.engines.get(tenant);
    if (running) return running;
    const starting = this.startEngine(tenant);
    this.engines.set(tenant, starting);
    // A start that finishes after its tenant was stopped is not kept: `stop` closes it once started.
    const current = () => this.engines.get(tenant) === starting;
    starting.then(
      (engine) => {
        if (!current()) return;
        this.ready.set(tenant, engine);
        this.failed.delete(tenant);
      },
      (error: Error) => {
        if (!current()) return;
        this.engines.delete(tenant);
        this.failed.set(tenant, error.message);
        this.logger.error(`Tenant '${tenant}' did not start: ${error.message}; trying again at the next re-read of the list or command`);
      },
    );
    return starting;
  }

  /** Stops `tenant`'s engine here, if it runs, as an application shutdown would stop it. */
  async stop(tenant: string): Promise<void> {
    const started = this.engines.get(tenant);
    this.failed.delete(tenant);
    if (!started) return;
    this.engines.delete(tenant);
    this.ready.delete(tenant);
    await this.close(tenant, started);
  }

  /** Stops every engine, and waits for those already stopping. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.names().map((tenant) => this.stop(tenant)), ...this.closing]);
  }

  /** One that failed to start has said so already; one that fails to close says so here. */
  private close(tenant: string, started: Promise<TenantEngine>): Promise<void> {
    const closed = started.then(
      (engine) => engine.close().catch((error: Error) => this.logger.error(`Tenant '${tenant}' did not close cleanly: ${error.message}`)),
      () => undefined,
    );
    this.closing.add(closed);
    return closed.finally(() => this.closing.delete(closed));
  }
}
