import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, Optional } from '@nestjs/common';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { EventStore } from './event-store/event-store.interface.js';
import { SubscriptionManager } from './subscriptions/subscription-manager.js';
import { ParkedEvents } from './telemetry/parked-events.interface.js';
import { Telemetry, type TelemetryGauges } from './telemetry/telemetry.interface.js';

/**
 * Feeds the observable gauges from the parts that hold the figures. Nothing is read until a metric
 * reader collects. Parked events come from the {@link ParkedEvents} source when one is provided;
 * without one, a subscription its error policy halted counts the event it stopped on, which waits
 * for an operator just as a parked one does.
 */
@Injectable()
export class TelemetryGaugesHost implements OnApplicationBootstrap, OnModuleDestroy, TelemetryGauges {
  private unobserve?: () => void;

  constructor(
    @Inject(Telemetry) private readonly telemetry: Telemetry,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly aggregates: AggregateManager,
    private readonly subscriptions: SubscriptionManager,
    @Optional() @Inject(ParkedEvents) private readonly parked?: ParkedEvents,
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

  async parkedEvents(): Promise<Array<{ subscription: string; count: number }>> {
    if (this.parked) return this.parked.count();
    return this.subscriptions
      .statuses()
      .map((status) => ({ subscription: status.name, count: status.state === 'stopped' && status.lastError ? 1 : 0 }));
  }
}
