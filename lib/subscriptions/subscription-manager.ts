import { Inject, Injectable, Logger, type LoggerService, Optional } from '@nestjs/common';
import { EventSerializer } from '../events/event-serializer.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { type AppendedMessage, PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';
import type { ParkedEvent, ParkedSelection } from '../event-store/parked-events.interface.js';
import { onLeaseReleased } from './lease-released.js';
import { assertListOptions, assertParkedSelection } from './control/parked-selection.js';
import { assertUniqueNames } from './subscription-catalog.js';
import type { SubscriptionDefinition } from './subscription-definition.js';
import { SubscriptionRunner } from './subscription-runner.js';
import type { RunsSubscription } from './subscription-runners.js';
import { SpreadMembership, StoreSpreadMembership } from './spread/spread-membership.js';
import { SpreadRunner } from './spread/spread-runner.js';
import { assertLayouts } from './spread/partition-layouts.js';
import { DeliveryFactory, HandlerDeliveryFactory } from './delivery-factory.js';
import type { SubscriptionStatus } from './subscription-status.js';
import type { SubscriptionControlState } from '../event-store/subscription-control.interface.js';
import { ControlMonitor } from './control/control-monitor.js';
import { type ResetOptions, ControlRequests } from './control/control-requests.js';
import { ProgressTracker, type SubscriptionProgress } from './subscription-progress.js';
import { SUBSCRIPTIONS_SETTINGS, type SubscriptionsSettings } from './subscriptions.options.js';
import { Telemetry } from '../telemetry/telemetry.interface.js';

/**
 * Runs one {@link SubscriptionRunner} per subscription of this process and wakes them when
 * events are appended (by the store's notifications and by the pubsub), so they seldom wait for
 * their poll. Operates any subscription of the store, wherever it runs: reset, restart, pause,
 * resume, stored state and progress.
 */
@Injectable()
export class SubscriptionManager {
  private readonly runners = new Map<string, RunsSubscription>();
  /** Every stored name a runner answers to (a spread subscription's partitions too). */
  private readonly routes = new Map<string, RunsSubscription>();
  private unsubscribers: Array<() => void> = [];
  private readonly requests: ControlRequests;
  private readonly tracker: ProgressTracker;
  private readonly monitor: ControlMonitor;
  private readonly deliveries: DeliveryFactory;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly serializer: EventSerializer,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
    /** The application's own Logger provider when it has one; else each runner logs through a Nest `Logger`. */
    @Optional() @Inject(Logger) private readonly logger?: LoggerService,
    @Optional() @Inject(Telemetry) private readonly telemetry?: Telemetry,
    /** Builds each runner's delivery; handlers and projectors only when none is provided. */
    @Optional() @Inject(DeliveryFactory) deliveries?: DeliveryFactory,
    /** Who shares spread subscriptions (cluster mode); else the nodes heartbeat in the store. */
    @Optional() @Inject(SpreadMembership) private readonly membership?: SpreadMembership,
  ) {
    this.deliveries = deliveries ?? new HandlerDeliveryFactory(serializer);
    this.requests = new ControlRequests(store, pubsub);
    this.tracker = new ProgressTracker(store, pubsub);
    this.monitor = new ControlMonitor(store, pubsub, settings.pollInterval, (state) => this.routes.get(state.name)?.controlled(state));
  }

  /**
   * Starts a runner per definition. Throws (and starts none) `ConfigurationError` on a duplicate
   * name, a delivery that cannot be built (a process manager without a dispatcher) or a spread
   * subscription on a store that cannot spread, and `PartitionLayoutError` when a subscription is
   * stored in another partition layout than it is declared with.
   */
  async start(definitions: SubscriptionDefinition[]): Promise<void> {
    assertUniqueNames(definitions, this.runners.keys());
    await assertLayouts(this.store, definitions);
    const runners = definitions.map((definition) => this.createRunner(definition));
    runners.forEach((runner) => {
      this.runners.set(runner.name, runner);
      runner.names.forEach((name) => this.routes.set(name, runner));
    });
    if (!this.unsubscribers.length && this.runners.size) {
      const wakeAll = (position?: number, types?: readonly string[]) => this.runners.forEach((runner) => runner.wake(position, types));
      this.unsubscribers = [
        this.store.onAppended(wakeAll),
        // This node's own appends were announced by the store already.
        this.pubsub.subscribe<Partial<AppendedMessage>>(PubSubChannels.appended, (message, from) => {
          if (from !== this.pubsub.nodeName) wakeAll(message?.position, message?.eventTypes);
        }),
        onLeaseReleased(this.pubsub, (name) => this.routes.get(name)?.retryLease(name)),
        this.pubsub.subscribe<{ name?: string }>(PubSubChannels.parked, (message) => this.routes.get(String(message?.name))?.wakeParked()),
      ];
    }
    if (this.runners.size) this.monitor.start();
    runners.forEach((runner) => runner.start());
  }

  /** Stops every runner: loops end, handlers in flight finish, leases are released. */
  async stop(): Promise<void> {
    this.unsubscribers.forEach((unsubscribe) => unsubscribe());
    this.unsubscribers = [];
    this.monitor.stop();
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
    this.routes.clear();
  }

  /** Status of every subscription of this process. */
  statuses(): SubscriptionStatus[] {
    return [...this.runners.values()].map((runner) => runner.status());
  }

  /** Status of one subscription, or undefined when this process does not run it. */
  status(name: string): SubscriptionStatus | undefined {
    return this.runners.get(name)?.status();
  }

  /**
   * Moves subscription `name`'s checkpoint (`to` defaults to `'origin'`) wherever it runs: the
   * request is stored and announced; the owning node stops delivering, runs the projector's
   * `@BeforeReset` in the transaction that moves the checkpoint, and delivers again from there.
   * Throws `UnknownSubscriptionError` or `InvalidControlRequestError`, writing nothing.
   */
  reset(name: string, options?: ResetOptions): Promise<SubscriptionControlState> {
    return this.requests.reset(name, options);
  }

  /** Makes the owner start over from its checkpoint; a subscription halted by its error policy delivers again. */
  restart(name: string): Promise<SubscriptionControlState> {
    return this.requests.restart(name);
  }

  /** Stops delivery on whichever node owns `name`, until {@link resume}; kept across restarts. */
  pause(name: string): Promise<SubscriptionControlState> {
    return this.requests.setPaused(name, true);
  }

  /** Lets a paused subscription deliver again from its checkpoint. */
  resume(name: string): Promise<SubscriptionControlState> {
    return this.requests.setPaused(name, false);
  }

  /** The stored state of `name` (position, paused, owner, epoch, pending reset), or undefined when it never ran. */
  readControl(name: string): Promise<SubscriptionControlState | undefined> {
    return this.store.control.readControl(name);
  }

  /** Every subscription's stored state, including those run by other nodes. */
  listControl(): Promise<SubscriptionControlState[]> {
    return this.store.control.listControl();
  }

  /** Position, head, events per second over the last seconds and an ETA, e.g. to follow a rebuild. */
  progress(name: string): Promise<SubscriptionProgress> {
    return this.tracker.progress(name);
  }

  /** Parked events of subscription `name`, in position order (from any node: they are read from the store). */
  parked(name: string, options: { limit?: number; after?: number } = {}): Promise<ParkedEvent[]> {
    assertListOptions(options);
    return this.store.parkedEvents.list(name, options);
  }

  /** How many events subscription `name` has parked. */
  parkedCount(name: string): Promise<number> {
    return this.store.parkedEvents.count(name);
  }

  /**
   * Marks parked events for redelivery by whichever node runs the subscription, and wakes it.
   * Each runs once: on success its row goes; on failure it stays parked with one more attempt.
   * Returns how many were marked.
   */
  async retryParked(name: string, selection: ParkedSelection): Promise<number> {
    assertParkedSelection(selection);
    const marked = await this.store.parkedEvents.requestRetry(name, selection);
    await this.announceParked(name);
    return marked;
  }

  /** Forgets parked events for good (under per-stream parking, the stream's held events then go on). Returns how many went. */
  async discardParked(name: string, selection: ParkedSelection): Promise<number> {
    assertParkedSelection(selection);
    const discarded = await this.store.parkedEvents.discard(name, selection);
    await this.announceParked(name);
    return discarded;
  }

  private async announceParked(name: string): Promise<void> {
    this.routes.get(name)?.wakeParked();
    await this.pubsub.publish(PubSubChannels.parked, { name });
  }

  private createRunner(definition: SubscriptionDefinition): RunsSubscription {
    // Already registered at boot when the module started it; a runner started on its own learns its types here.
    definition.eventClasses?.forEach((type) => this.serializer.register(type));
    const { store, pubsub, serializer, settings, logger, telemetry, deliveries } = this;
    const deps = { store, pubsub, serializer, settings, logger, telemetry, deliveries };
    if (!definition.metadata.spread) return new SubscriptionRunner(definition, deps);
    const membership = this.membership ?? new StoreSpreadMembership(store.subscriptionPartitions!, pubsub.nodeName, settings.memberTimeout);
    return new SpreadRunner(definition, deps, membership);
  }
}
