import { Inject, Injectable, Logger, type LoggerService, Optional } from '@nestjs/common';
import { EventSerializer } from '../events/event-serializer.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { type AppendedMessage, PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';
import type { ParkedEvent, ParkedSelection } from '../event-store/parked-events.interface.js';
import { CommandDispatcher } from './command-dispatcher.interface.js';
import { assertListOptions, assertParkedSelection } from './parked-selection.js';
import { assertUniqueNames } from './subscription-catalog.js';
import type { SubscriptionDefinition } from './subscription-definition.js';
import { SubscriptionRunner } from './subscription-runner.js';
import type { SubscriptionStatus } from './subscription-status.js';
import { SUBSCRIPTIONS_SETTINGS, type SubscriptionsSettings } from './subscriptions.options.js';

/**
 * Runs one {@link SubscriptionRunner} per subscription of this process and wakes them when
 * events are appended (by the store's notifications and by the pubsub), so they seldom wait for
 * their poll.
 */
@Injectable()
export class SubscriptionManager {
  private readonly runners = new Map<string, SubscriptionRunner>();
  private unsubscribers: Array<() => void> = [];

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly serializer: EventSerializer,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
    @Optional() @Inject(CommandDispatcher) private readonly dispatcher?: CommandDispatcher,
    /** The application's own Logger provider when it has one; else each runner logs through a Nest `Logger`. */
    @Optional() @Inject(Logger) private readonly logger?: LoggerService,
  ) {}

  /**
   * Starts a runner per definition. Throws `ConfigurationError` (and starts none) on a duplicate
   * name or a process manager without a dispatcher.
   */
  async start(definitions: SubscriptionDefinition[]): Promise<void> {
    assertUniqueNames(definitions, this.runners.keys());
    const runners = definitions.map((definition) => this.createRunner(definition));
    runners.forEach((runner) => this.runners.set(runner.name, runner));
    if (!this.unsubscribers.length && this.runners.size) {
      const wakeAll = (position?: number) => this.runners.forEach((runner) => runner.wake(position));
      this.unsubscribers = [
        this.store.onAppended(wakeAll),
        // This node's own appends were announced by the store already.
        this.pubsub.subscribe<Partial<AppendedMessage>>(PubSubChannels.appended, (message, from) => {
          if (from !== this.pubsub.nodeName) wakeAll(message?.position);
        }),
        this.pubsub.subscribe<{ name?: string }>(PubSubChannels.parked, (message) => this.runners.get(String(message?.name))?.wakeParked()),
      ];
    }
    runners.forEach((runner) => runner.start());
  }

  /** Stops every runner: loops end, handlers in flight finish, leases are released. */
  async stop(): Promise<void> {
    this.unsubscribers.forEach((unsubscribe) => unsubscribe());
    this.unsubscribers = [];
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
  }

  /** Status of every subscription of this process. */
  statuses(): SubscriptionStatus[] {
    return [...this.runners.values()].map((runner) => runner.status());
  }

  /** Status of one subscription, or undefined when this process does not run it. */
  status(name: string): SubscriptionStatus | undefined {
    return this.runners.get(name)?.status();
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
    this.runners.get(name)?.wakeParked();
    await this.pubsub.publish(PubSubChannels.parked, { name });
  }

  private createRunner(definition: SubscriptionDefinition): SubscriptionRunner {
    definition.eventClasses?.forEach((type) => this.serializer.register(type));
    const { store, pubsub, serializer, settings, dispatcher, logger } = this;
    return new SubscriptionRunner(definition, { store, pubsub, serializer, settings, dispatcher, logger });
  }
}
