import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { EventStore } from './event-store/event-store.interface.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { Telemetry, type TelemetryGauges } from './telemetry/telemetry.interface.js';

/**
 * Feeds the observable gauges from the parts that hold the figures. Nothing is read until a metric
 * reader collects.
 */
@Injectable()
export class TelemetryGaugesHost implements OnApplicationBootstrap, OnModuleDestroy, TelemetryGauges {
  private unobserve?: () => void;

  constructor(
    @Inject(Telemetry) private readonly telemetry: Telemetry,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly aggregates: AggregateManager,
    private readonly subscriptions: SubscriptionManager,
  ) {}

  onApplicationBootstrap(): void {
    this.unobserve = this.telemetry.observe(this);
  }

  /** Stops the readings first: a closed store must not be asked for its head. */
  onModuleDestroy(): void {
    this.unobserve?.();
  }

  liveAggregates(): number {
    return this.aggregates.size;
  }

  async subscriptionLag(): Promise<Array<{ subscription: string; lag: number }>> {
    // A standby subscription's position is another process's business; a halted one's lag is the backlog behind it.
    const owned = this.subscriptions.statuses().filter((status) => status.state !== 'standby');
    if (!owned.length) return [];
    const head = await this.store.headPosition();
    return owned.map((status) => ({ subscription: status.name, lag: Math.max(0, head - status.position) }));
  }

  /** The store's count for each subscription this process runs (one process reports each, as with lag). */
  async parkedEvents(): Promise<Array<{ subscription: string; count: number }>> {
    const owned = this.subscriptions.statuses().filter((status) => status.state !== 'standby');
    return Promise.all(owned.map(async ({ name }) => ({ subscription: name, count: await this.store.parkedEvents.count(name) })));
  }
}
