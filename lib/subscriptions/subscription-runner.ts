import { Logger, type LoggerService } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { EventSerializer } from '../events/event-serializer.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import { PubSubChannels, type PubSub } from '../pubsub/pubsub.interface.js';
import type { CommandDispatcher } from './command-dispatcher.interface.js';
import { type EventDelivery, HandlerDelivery } from './event-delivery.js';
import { DEFAULT_PROCESS_MANAGER_CONCURRENCY } from './engine-options.js';
import { ProcessManagerDelivery } from './process-manager-delivery.js';
import type { SubscriptionAck } from './subscription-ack.js';
import type { SubscriptionDefinition } from './subscription-definition.js';
import { type SessionContext, type SessionSettings, SubscriptionSession } from './subscription-session.js';
import type { SubscriptionState, SubscriptionStatus } from './subscription-status.js';
import { sleep, untilAborted, WakeUp } from './wake-up.js';
import type { SubscriptionsSettings } from './subscriptions.options.js';

/** What runners share: the store, the pubsub that carries acks, and the module's settings. */
export interface SubscriptionRunnerDeps {
  store: EventStore;
  pubsub: PubSub;
  serializer: EventSerializer;
  settings: SubscriptionsSettings;
  /** Sends the commands of process managers; required when one runs. */
  dispatcher?: CommandDispatcher;
  /** @default a Nest `Logger` named after the runner */
  logger?: LoggerService;
}

/**
 * Runs one named subscription. In standby it tries to take the subscription's lease every
 * `lockRetryInterval`; while it holds it, a {@link SubscriptionSession} delivers events. A lost
 * lease ends delivery at once and sends it back to standby. When the error policy halts it, it
 * keeps the lease, so no other process retries the failing event, and stays `stopped` until
 * the application restarts.
 */
export class SubscriptionRunner {
  private readonly shutdown = new AbortController();
  private readonly wakeUp = new WakeUp();
  private readonly delivery: EventDelivery;
  private readonly logger: LoggerService;
  private readonly current: SubscriptionStatus;
  private loop?: Promise<void>;
  private parkedChanged = false;

  constructor(
    readonly definition: SubscriptionDefinition,
    private readonly deps: SubscriptionRunnerDeps,
  ) {
    this.delivery = createDelivery(definition, deps);
    this.logger = deps.logger ?? new Logger(SubscriptionRunner.name);
    this.current = { name: definition.metadata.name, kind: definition.metadata.kind, state: 'standby', position: 0 };
  }

  get name(): string {
    return this.definition.metadata.name;
  }

  status(): SubscriptionStatus {
    return { ...this.current };
  }

  /** Starts the loop in the background; calling it again does nothing. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Asks a waiting loop to read now instead of at its next poll. */
  wake(position?: number): void {
    this.wakeUp.notify(position);
  }

  /** Tells the loop that parked events were marked for retry or discarded, so it redelivers what is due. */
  wakeParked(): void {
    this.parkedChanged = true;
    this.wakeUp.notify();
  }

  /** Ends the loop, waits for the handler in flight, and gives the lease up. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    this.wakeUp.notify();
    await this.loop;
    this.setState('stopped');
  }

  private async run(): Promise<void> {
    const { store, settings } = this.deps;
    while (!this.shutdown.signal.aborted) {
      let lease: SubscriptionLease | undefined;
      try {
        lease = await store.acquireSubscription(this.name);
      } catch (error) {
        this.logger.warn(`Subscription '${this.name}' could not try its lease: ${messageOf(error)}`);
      }
      if (lease) await this.hold(lease);
      else await sleep(settings.lockRetryInterval, this.shutdown.signal);
    }
  }

  private async hold(lease: SubscriptionLease): Promise<void> {
    const lost = new AbortController();
    lease.onLost(() => {
      lost.abort();
      this.wakeUp.notify();
    });
    const signal = AbortSignal.any([this.shutdown.signal, lost.signal]);
    this.setState('running');
    let outcome: 'halted' | 'ended' | 'failed';
    let reason = 'its lease was lost';
    try {
      outcome = await new SubscriptionSession(this.sessionContext(lease, signal)).run();
    } catch (error) {
      outcome = 'failed';
      reason = messageOf(error);
    }
    if (!this.shutdown.signal.aborted && (outcome === 'failed' || lease.lost)) {
      this.logger.warn(`Subscription '${this.name}' left delivery and is back in standby: ${reason}`);
    }
    if (outcome === 'halted') {
      this.setState('stopped');
      this.logger.error(`Subscription '${this.name}' is stopped at position ${this.current.position} and stays stopped until restarted`);
      await untilAborted(this.shutdown.signal);
    }
    await lease.release().catch((error: unknown) => {
      this.logger.warn(`Subscription '${this.name}' release failed: ${messageOf(error)}`);
    });
    if (this.shutdown.signal.aborted) return;
    this.setState('standby');
    await sleep(this.deps.settings.lockRetryInterval, this.shutdown.signal);
  }

  private sessionContext(lease: SubscriptionLease, signal: AbortSignal): SessionContext {
    return {
      lease,
      signal,
      store: this.deps.store,
      delivery: this.delivery,
      settings: this.sessionSettings(),
      wakeUp: this.wakeUp,
      acknowledged: (position) => this.acknowledged(position),
      failed: (recorded, error, attempt) => this.failed(recorded, error, attempt),
      parkedChanged: () => {
        const changed = this.parkedChanged;
        this.parkedChanged = false;
        return changed;
      },
    };
  }

  private sessionSettings(): SessionSettings {
    const { metadata } = this.definition;
    const { settings, store } = this.deps;
    return {
      ...settings,
      errorPolicy: metadata.errorPolicy ?? settings.errorPolicy,
      startFrom: metadata.startFrom ?? 'origin',
      transactional: metadata.kind === 'projector' && store.sql !== undefined,
      concurrency: metadata.concurrency ?? (metadata.kind === 'process-manager' ? DEFAULT_PROCESS_MANAGER_CONCURRENCY : 1),
      parkMode: metadata.parkMode ?? 'event',
    };
  }

  private acknowledged(position: number): void {
    this.current.position = position;
    const ack: SubscriptionAck = { name: this.name, position };
    this.deps.pubsub.publish(PubSubChannels.ack, ack).catch((error: unknown) => {
      this.logger.warn(`Subscription '${this.name}' could not publish its ack: ${messageOf(error)}`);
    });
  }

  private failed(recorded: RecordedEvent, error: unknown, attempt: number): void {
    this.current.lastError = { message: messageOf(error), position: recorded.globalPosition, at: new Date() };
    this.logger.error(
      `Subscription '${this.name}' failed on ${recorded.eventType} at position ${recorded.globalPosition} (attempt ${attempt}): ${messageOf(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
  }

  private setState(state: SubscriptionState): void {
    this.current.state = state;
  }
}

function createDelivery(definition: SubscriptionDefinition, deps: SubscriptionRunnerDeps): EventDelivery {
  const { processManager, metadata } = definition;
  if (!processManager) return new HandlerDelivery(definition, deps.serializer);
  if (!deps.dispatcher) throw new ConfigurationError(`Process manager '${metadata.name}' needs a command dispatcher to send its commands`);
  return new ProcessManagerDelivery(metadata.name, processManager, deps.store, deps.serializer, deps.dispatcher);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
