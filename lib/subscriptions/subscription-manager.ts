import type { LoggerService } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { EventSerializer } from '../event-store/event-serializer.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { type AppendedMessage, PubSubChannels, type PubSub } from '../pubsub/pubsub.interface.js';
import type { ResolvedOptions } from '../resolve-options.js';
import type { CommandDispatcher } from './command-dispatcher.interface.js';
import type { SubscriptionDefinition } from './subscription-definition.js';
import { SubscriptionRunner } from './subscription-runner.js';
import type { SubscriptionStatus } from './subscription-status.js';

/**
 * Runs one {@link SubscriptionRunner} per subscription of this process and wakes them when
 * events are appended (by the store's notifications and by the pubsub), so they seldom wait for
 * their poll.
 */
export class SubscriptionManager {
  private readonly runners = new Map<string, SubscriptionRunner>();
  private unsubscribers: Array<() => void> = [];

  constructor(
    private readonly store: EventStore,
    private readonly pubsub: PubSub,
    private readonly serializer: EventSerializer,
    private readonly settings: ResolvedOptions['subscriptions'],
    private readonly dispatcher?: CommandDispatcher,
    private readonly logger?: LoggerService,
  ) {}

  /**
   * Starts a runner per definition. Throws `ConfigurationError` (and starts none) on a duplicate
   * name or a process manager without a dispatcher.
   */
  async start(definitions: SubscriptionDefinition[]): Promise<void> {
    const names = new Set(this.runners.keys());
    for (const { metadata } of definitions) {
      if (names.has(metadata.name)) throw new ConfigurationError(`Two subscriptions are named '${metadata.name}'; names must be unique`);
      names.add(metadata.name);
    }
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

  private createRunner(definition: SubscriptionDefinition): SubscriptionRunner {
    definition.eventClasses?.forEach((type) => this.serializer.register(type));
    const { store, pubsub, serializer, settings, dispatcher, logger } = this;
    return new SubscriptionRunner(definition, { store, pubsub, serializer, settings, dispatcher, logger });
  }
}
