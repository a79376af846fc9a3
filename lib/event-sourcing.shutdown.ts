import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CommandAdmission } from './commands/command-admission.js';
import { Registry } from './registry/registry.interface.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { TenantRouter } from './tenants/tenant-router.js';

/**
 * This node's graceful shutdown. New commands are refused (`ShuttingDownError`); once the admitted
 * ones have finished, the registry lets go of the aggregates (in a cluster the node leaves and
 * tells its peers, so they own them now). Meanwhile each subscription finishes its event in flight,
 * checkpoints and gives its lease up, announced so a standby elsewhere takes over at once. The
 * store and pubsub close later, in Nest's last shutdown phase.
 *
 * `app.close()` runs it as shutdown begins. Call {@link begin} yourself when a signal arrives to
 * hand work over while your HTTP server drains, then `app.close()` to finish.
 */
@Injectable()
export class EventSourcingShutdown implements OnModuleDestroy {
  private begun?: Promise<void>;

  constructor(
    private readonly admission: CommandAdmission,
    private readonly subscriptions: SubscriptionManager,
    @Inject(Registry) private readonly registry: Registry,
    @Inject(TenantRouter) private readonly tenants: TenantRouter,
  ) {}

  /** True once shutdown has begun: new commands are refused. */
  get shuttingDown(): boolean {
    return !this.admission.open;
  }

  /** Starts the shutdown (once; later calls return the same promise) and resolves when this node has handed its work over. */
  begin(): Promise<void> {
    // The registry lets go as soon as the admitted commands are done, not after the slowest handler.
    this.begun ??= Promise.all([
      this.admission.close().then(() => this.registry.close()),
      this.subscriptions.stop(),
      // Each tenant's engine hands its own work over at the same time.
      ...this.tenants.started().map((engine) => engine.get(EventSourcingShutdown).begin()),
    ]).then(() => undefined);
    return this.begun;
  }

  onModuleDestroy(): Promise<void> {
    return this.begin();
  }
}
