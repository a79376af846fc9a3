import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TenantRouter } from '../tenants/tenant-router.js';
import { ConsistencyWaiter } from './consistency-waiter.js';
import { SubscriptionCatalog } from './subscription-catalog.js';
import { SubscriptionManager } from './subscription-manager.js';

/**
 * Starts the discovered subscriptions once the whole application is up (their handlers may use
 * any provider), and stops them first at shutdown, while commands and the store still work for
 * the deliveries in flight.
 */
@Injectable()
export class SubscriptionHost implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly manager: SubscriptionManager,
    private readonly catalog: SubscriptionCatalog,
    private readonly waiter: ConsistencyWaiter,
    @Inject(TenantRouter) private readonly tenants: TenantRouter,
  ) {}

  /** With tenants, the subscriptions run in each tenant's engine, on its store; the module's own holds only the tenant list. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.tenants.enabled) await this.manager.start(this.catalog.all());
  }

  async onModuleDestroy(): Promise<void> {
    this.waiter.close();
    await this.manager.stop();
  }
}
