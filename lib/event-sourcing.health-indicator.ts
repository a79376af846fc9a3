import { type OnApplicationBootstrap, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { type EventSourcingHealthDetails, healthReport } from './event-sourcing.health-report.js';
import { EventStore } from './event-store/event-store.interface.js';
import { type HealthCheckOptions, type LivenessOptions, resolveHealthCheckOptions, resolveLivenessOptions } from './health-check.options.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { EventLoopDelay } from './util/event-loop-delay.js';
import { TenantRouter } from './tenants/tenant-router.js';

/**
 * The shape of `@nestjs/terminus`' `HealthIndicatorResult`, spelled here so the library never loads
 * Terminus: `HealthCheckService.check([() => indicator.isReady()])` takes it as it is.
 */
export type EventSourcingHealthResult<Key extends string = string, Data extends object = object> = Record<Key, { status: 'up' | 'down' } & Data>;

/** What `isLive` puts under its key. */
export interface LivenessDetails {
  node: string;
  /** Event loop delay since the previous liveness check (since the application booted, for the first), in ms. */
  eventLoopDelay: { mean: number; max: number };
  maxEventLoopDelay: number;
}

/**
 * Health checks of event sourcing for `@nestjs/terminus` (an optional peer: this class does not
 * load it). `isLive` checks only the process (its event loop) and never a dependency, so an
 * orchestrator does not restart a healthy process during a database outage. `isReady` fails while
 * this node cannot serve commands: the store unreachable, migrations pending, a strong subscription
 * beyond its lag threshold, a stored event met that this code cannot read (until a deploy makes it
 * readable and restarts the node), or (clustered) this node outside the cluster. `check` also fails on
 * what needs an operator but not a restart: a stopped subscription, any subscription over its
 * threshold, pubsub disconnected.
 */
@Injectable()
export class EventSourcingHealthIndicator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop = new EventLoopDelay();

  constructor(
    private readonly health: EventSourcingHealth,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly catalog: SubscriptionCatalog,
    @Inject(TenantRouter) private readonly tenants: TenantRouter,
  ) {
    this.loop.start();
  }

  /** Up while no task held the event loop longer than `maxEventLoopDelay` since the previous call; checks no dependency. */
  async isLive<const Key extends string = 'event-sourcing'>(
    key: Key = 'event-sourcing' as Key,
    options: LivenessOptions = {},
  ): Promise<EventSourcingHealthResult<Key, LivenessDetails>> {
    const { maxEventLoopDelay } = resolveLivenessOptions(options);
    const details: LivenessDetails = { node: this.health.status().node, eventLoopDelay: this.loop.take(), maxEventLoopDelay };
    const status = details.eventLoopDelay.max > maxEventLoopDelay ? 'down' : 'up';
    return { [key]: { status, ...details } } as EventSourcingHealthResult<Key, LivenessDetails>;
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

  /** Start-up (opening the store, migrations, catching up) may hold the loop for long: it is not counted. */
  onApplicationBootstrap(): void {
    this.loop.restart();
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }

  private async run<Key extends string>(
    key: Key,
    options: HealthCheckOptions,
    readinessOnly: boolean,
  ): Promise<EventSourcingHealthResult<Key, EventSourcingHealthDetails>> {
    const { details, findings } = await this.report(options);
    const problems = findings.filter((f) => f.readiness || !readinessOnly).map((f) => f.message);
    const status = problems.length ? 'down' : 'up';
    return { [key]: { status, ...details, problems } } as EventSourcingHealthResult<Key, EventSourcingHealthDetails>;
  }

  /** This engine's report, and each tenant's engine's under `tenants` with its findings named after the tenant. */
  private async report(options: HealthCheckOptions): Promise<Awaited<ReturnType<typeof healthReport>>> {
    const resolved = resolveHealthCheckOptions(options, this.catalog.names());
    const own = await healthReport(this.health.status(), this.store, this.catalog.strongNames(), resolved);
    if (!this.tenants.enabled) return own;
    const tenants: NonNullable<EventSourcingHealthDetails['tenants']> = {};
    for (const engine of this.tenants.started()) {
      const { details, findings } = await engine.get(EventSourcingHealthIndicator).report(options);
      tenants[engine.tenant] = details;
      own.findings.push(...findings.map((f) => ({ ...f, message: `tenant '${engine.tenant}': ${f.message}` })));
    }
    // Not a readiness finding: the node still serves every other tenant.
    for (const [tenant, error] of Object.entries(this.tenants.failures())) {
      own.findings.push({ message: `tenant '${tenant}': its engine did not start: ${error}`, readiness: false });
    }
    return { details: { ...own.details, tenants }, findings: own.findings };
  }
}
