import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { type EventSourcingHealthDetails, healthReport } from './event-sourcing.health-report.js';
import { EventStore } from './event-store/event-store.interface.js';
import { type HealthCheckOptions, type LivenessOptions, resolveHealthCheckOptions, resolveLivenessOptions } from './health-check.options.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';

/**
 * The shape of `@nestjs/terminus`' `HealthIndicatorResult`, spelled here so the library never loads
 * Terminus: `HealthCheckService.check([() => indicator.isReady()])` takes it as it is.
 */
export type EventSourcingHealthResult<Key extends string = string, Data extends object = object> = Record<Key, { status: 'up' | 'down' } & Data>;

/** What `isLive` puts under its key. */
export interface LivenessDetails {
  node: string;
  /** Event loop delay since the previous liveness check, in ms. */
  eventLoopDelay: { p99: number; max: number };
  maxEventLoopDelay: number;
}

const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e5) / 10;

/**
 * Health checks of event sourcing for `@nestjs/terminus` (an optional peer: this class does not
 * load it). `isLive` checks only the process (its event loop) and never a dependency, so an
 * orchestrator does not restart a healthy process during a database outage. `isReady` fails while
 * this node cannot serve commands: the store unreachable, migrations pending, a strong subscription
 * beyond its lag threshold, or (clustered) this node outside the cluster. `check` also fails on
 * what needs an operator but not a restart: a stopped subscription, any subscription over its
 * threshold, pubsub disconnected.
 */
@Injectable()
export class EventSourcingHealthIndicator implements OnModuleDestroy {
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor(
    private readonly health: EventSourcingHealth,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly catalog: SubscriptionCatalog,
  ) {
    this.loop.enable();
  }

  /** Up while the event loop turns within `maxEventLoopDelay`; checks no dependency. */
  async isLive<const Key extends string = 'event-sourcing'>(
    key: Key = 'event-sourcing' as Key,
    options: LivenessOptions = {},
  ): Promise<EventSourcingHealthResult<Key, LivenessDetails>> {
    const { maxEventLoopDelay } = resolveLivenessOptions(options);
    const eventLoopDelay = { p99: ms(this.loop.percentile(99)), max: ms(this.loop.max) };
    this.loop.reset();
    const status = eventLoopDelay.p99 > maxEventLoopDelay ? 'down' : 'up';
    return { [key]: { status, node: this.health.status().node, eventLoopDelay, maxEventLoopDelay } } as EventSourcingHealthResult<
      Key,
      LivenessDetails
    >;
  }

  /** Up when this node can serve commands (see the class); the details name each problem. */
  isReady<const Key extends string = 'event-sourcing'>(
    key: Key = 'event-sourcing' as Key,
    options: HealthCheckOptions = {},
  ): Promise<EventSourcingHealthResult<Key, EventSourcingHealthDetails>> {
    return this.run(key, options, true);
  }

  /** Everything `isReady` checks, plus stopped or lagging subscriptions of any kind and pubsub. */
  check<const Key extends string = 'event-sourcing'>(
    key: Key = 'event-sourcing' as Key,
    options: HealthCheckOptions = {},
  ): Promise<EventSourcingHealthResult<Key, EventSourcingHealthDetails>> {
    return this.run(key, options, false);
  }

  onModuleDestroy(): void {
    this.loop.disable();
  }

  private async run<Key extends string>(
    key: Key,
    options: HealthCheckOptions,
    readinessOnly: boolean,
  ): Promise<EventSourcingHealthResult<Key, EventSourcingHealthDetails>> {
    const resolved = resolveHealthCheckOptions(options, this.catalog.names());
    const { details, findings } = await healthReport(this.health.status(), this.store, this.catalog.strongNames(), resolved);
    const problems = findings.filter((f) => f.readiness || !readinessOnly).map((f) => f.message);
    const status = problems.length ? 'down' : 'up';
    return { [key]: { status, ...details, problems } } as EventSourcingHealthResult<Key, EventSourcingHealthDetails>;
  }
}
