import { Logger, type LoggerService } from '@nestjs/common';
import { isUnknownEventType } from '../errors/unknown-event-type.error.js';
import type { EventSerializer } from '../events/event-serializer.js';
import { unreadableEventOf } from '../events/unreadable-events.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { LeaseGrant, SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import type { StoredProgress } from '../event-store/progress-write.js';
import { PubSubChannels, type PubSub } from '../pubsub/pubsub.interface.js';
import type { EventDelivery } from './event-delivery.js';
import type { DeliveryCompanion, DeliveryFactory } from './delivery-factory.js';
import { announceRelease } from './lease-released.js';
import { DEFAULT_PROCESS_MANAGER_CONCURRENCY } from './engine-options.js';
import { tracedDelivery } from './traced-delivery.js';
import type { Telemetry } from '../telemetry/telemetry.interface.js';
import type { SubscriptionAck } from './subscription-ack.js';
import type { ErrorDecision } from './error-decision.js';
import type { SubscriptionDefinition } from './subscription-definition.js';
import { type SessionContext, type SessionSettings, SubscriptionSession } from './subscription-session.js';
import type { SubscriptionState, SubscriptionStatus } from './subscription-status.js';
import { WakeUp } from './wake-up.js';
import { ControlWatch } from './control/control-watch.js';
import { OwnerControl } from './control/owner-control.js';
import type { SubscriptionControlState } from '../event-store/subscription-control.interface.js';
import type { SubscriptionsSettings } from './subscriptions.options.js';
import { SettlingWork } from '../util/settling-work.js';
import { PartitionLayoutError } from '../errors/partition-layout.error.js';
import type { PartitionPlacement } from './spread/partition-placement.js';
import type { RunsSubscription } from './subscription-runners.js';

/** What runners share: the store, the pubsub that carries acks, and the module's settings. */
export interface SubscriptionRunnerDeps {
  store: EventStore;
  pubsub: PubSub;
  serializer: EventSerializer;
  settings: SubscriptionsSettings;
  /** Builds the subscription's delivery. */
  deliveries: DeliveryFactory;
  /** @default a Nest `Logger` named after the runner */
  logger?: LoggerService;
  /** Reports each delivery; none when absent. */
  telemetry?: Telemetry;
}

/**
 * Runs one named subscription. In standby it tries to take the subscription's lease every
 * `lockRetryInterval`; while it holds it, a {@link SubscriptionSession} delivers events. A lost
 * lease ends delivery at once and sends it back to standby. When the error policy halts it, it
 * keeps the lease, so no other process retries the failing event, and stays `stopped` until
 * restarted (`SubscriptionManager.restart`, from any node) or the application restarts. It obeys
 * the operator requests stored with the subscription: pause, resume, reset, restart. Given a
 * {@link PartitionPlacement}, it runs one partition of a spread subscription: it tries the lease only
 * while this node is meant to hold it, and hands it over (finishing the events in hand and storing
 * their checkpoint first) once it is not.
 */
export class SubscriptionRunner implements RunsSubscription {
  private readonly shutdown = new AbortController();
  private readonly wakeUp = new WakeUp();
  /** Ends a standby's wait for its next lease attempt early. */
  private readonly retry = new WakeUp();
  private readonly delivery: EventDelivery;
  /** Work beside the delivery, e.g. a process manager's scheduler. */
  private readonly companion?: DeliveryCompanion;
  private readonly logger: LoggerService;
  private readonly current: SubscriptionStatus;
  private readonly watch = new ControlWatch();
  private readonly control: OwnerControl;
  private loop?: Promise<void>;
  private parkedChanged = false;
  /** Aborts the session in hand when the partition is meant for another node. */
  private handover?: AbortController;

  constructor(
    readonly definition: SubscriptionDefinition,
    private readonly deps: SubscriptionRunnerDeps,
    private readonly placement?: PartitionPlacement,
  ) {
    this.logger = deps.logger ?? new Logger(SubscriptionRunner.name);
    const { delivery, companion } = deps.deliveries.create(definition, this.logger);
    this.companion = companion;
    this.delivery = tracedDelivery(delivery, definition.metadata.name, deps.telemetry);
    this.current = { name: this.name, kind: definition.metadata.kind, state: 'standby', position: 0 };
    this.control = new OwnerControl(deps.store, this.watch, definition, (position, error) => this.resetFailed(position, error));
  }

  /** The subscription's name, or its partition's. */
  get name(): string {
    return this.placement?.name ?? this.definition.metadata.name;
  }

  get names(): readonly string[] {
    return [this.name];
  }

  status(): SubscriptionStatus {
    return { ...this.current };
  }

  /** Starts the loop in the background; calling it again does nothing. */
  start(): void {
    // A process manager settles accepted work by sending commands that compete with callers' own:
    // the store serves its work first. Other runners are not marked: on Node 20 the first context
    // entered makes every await in the process slower, which an application without process
    // managers should not pay.
    this.loop ??= this.definition.metadata.kind === 'process-manager' ? SettlingWork.run(() => this.run()) : this.run();
    this.companion?.start();
  }

  /** Tells the runner the subscription's stored control state (pause, reset, restart requests). */
  controlled(state: SubscriptionControlState): void {
    this.watch.update(state);
    // A standby's own position says nothing; the checkpoint its owner stored does.
    if (this.current.state === 'standby') this.current.position = state.position;
  }

  /**
   * Asks a waiting loop to read now instead of at its next poll, unless the events announced are
   * of `types` it handles none of: its next poll passes over them (idle subscriptions stay idle),
   * or the wake-up once they are a page ahead of it, so that its checkpoint, and the lag health
   * checks read from it, keep up however fast other events come.
   */
  wake(position?: number, types?: readonly string[]): void {
    const ahead = (position ?? Number.POSITIVE_INFINITY) - this.current.position;
    if (types && !types.some((type) => this.delivery.handles(type)) && ahead < this.deps.settings.batchSize) return;
    this.wakeUp.notify(position);
  }

  /** Makes a standby try the lease now instead of at its next `lockRetryInterval` (another node just released it). */
  retryLease(): void {
    this.retry.notify();
  }

  /** The partition's assignment changed: a holder no longer meant to hold it hands it over, a standby tries now. */
  reassess(): void {
    if (!this.placement?.wanted()) this.handover?.abort();
    this.retry.notify();
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
    await Promise.all([this.loop, this.companion?.stop()]);
    this.setState('stopped');
  }

  private async run(): Promise<void> {
    const { store, settings } = this.deps;
    while (!this.shutdown.signal.aborted) {
      if (this.placement && !this.placement.wanted()) {
        await this.retry.wait(settings.lockRetryInterval, this.shutdown.signal);
        continue;
      }
      let lease: SubscriptionLease | undefined;
      try {
        lease = await store.acquireSubscription(this.name, this.deps.pubsub.nodeName);
      } catch (error) {
        this.logger.warn(`Subscription '${this.name}' could not try its lease: ${messageOf(error)}`);
      }
      if (lease && this.refusesLayout(lease)) return this.release(lease);
      if (lease) await this.hold(lease);
      else await this.retry.wait(settings.lockRetryInterval, this.shutdown.signal);
    }
  }

  /**
   * A subscription stored spread over partitions whose checkpoint this runner would take as a whole
   * (this node declares it without `spread`): it would repeat what the partitions did. It stays stopped.
   */
  private refusesLayout(lease: SubscriptionLease): boolean {
    const stored = lease.granted.control.partitions;
    if (this.placement || stored === undefined) return false;
    const error = new PartitionLayoutError(this.name, stored, null);
    this.current.lastError = { message: error.message, position: lease.granted.progress.checkpoint, at: new Date() };
    this.logger.error(error.message);
    this.setState('stopped');
    return true;
  }

  private async hold(lease: SubscriptionLease): Promise<void> {
    this.logger.log(
      `Subscription '${this.name}' taken over by node '${this.deps.pubsub.nodeName}' from ${this.current.state} at position ${lease.granted.progress.checkpoint}`,
    );
    this.current.position = lease.granted.progress.checkpoint;
    const lost = new AbortController();
    lease.onLost(() => {
      lost.abort();
      this.wakeUp.notify();
    });
    const handover = (this.handover = new AbortController());
    if (this.placement && !this.placement.wanted()) handover.abort();
    handover.signal.addEventListener('abort', () => this.wakeUp.notify(), { once: true });
    const leaving = AbortSignal.any([this.shutdown.signal, handover.signal]);
    const signal = AbortSignal.any([leaving, lost.signal]);
    let failure: string | undefined;
    try {
      await this.owned(lease, signal, leaving);
    } catch (error) {
      failure = messageOf(error);
    }
    this.handover = undefined;
    if (!this.shutdown.signal.aborted && (failure || lease.lost)) {
      this.logger.warn(`Subscription '${this.name}' left delivery and is back in standby: ${failure ?? 'its lease was lost'}`);
    }
    await this.release(lease);
    if (this.shutdown.signal.aborted) return;
    this.setState('standby');
    await this.retry.wait(this.deps.settings.lockRetryInterval, this.shutdown.signal);
  }

  /** Gives the lease up and, when it was still held, says so to the standbys of other nodes. */
  private async release(lease: SubscriptionLease): Promise<void> {
    const held = !lease.lost;
    try {
      await lease.release();
      if (!held) return;
      this.logger.log(`Subscription '${this.name}' released by node '${this.deps.pubsub.nodeName}' at position ${this.current.position}`);
      await announceRelease(this.deps.pubsub, this.name);
    } catch (error) {
      this.logger.warn(`Subscription '${this.name}' release failed: ${messageOf(error)}`);
    }
  }

  /**
   * Delivers while the lease holds, obeying the stored control state: paused, it waits; halted by
   * the error policy (or a failed reset), it keeps the lease, so no other process retries, until a
   * restart or reset raises the epoch; a stale lease returns so that a fresh one is taken.
   */
  private async owned(lease: SubscriptionLease, signal: AbortSignal, leaving: AbortSignal): Promise<void> {
    // A new owner starts from the state it was granted with the lease: no read before the first delivery.
    let granted: LeaseGrant | undefined = lease.granted;
    while (!signal.aborted) {
      const step = await this.control.next(lease, granted?.control);
      // A reset just carried out moved the checkpoint: the session reads it again.
      const progress = granted?.control.resetTo === null ? granted.progress : undefined;
      granted = undefined;
      if (step === 'stale') return;
      if (step === 'paused') {
        this.setState('paused');
        await this.watch.until(this.control.resumes(lease), signal);
        continue;
      }
      if (step === 'deliver') {
        this.setState('running');
        const interrupted = this.watch.signalWhen(this.control.interrupts(lease), signal);
        const session = new SubscriptionSession(this.sessionContext(lease, AbortSignal.any([signal, interrupted]), leaving, progress));
        const outcome = await session.run();
        if (outcome === 'ended') continue;
        this.logger.error(`Subscription '${this.name}' is stopped at position ${this.current.position} and stays stopped until restarted`);
      }
      this.setState('stopped');
      await this.watch.until(this.control.supersedes(lease), signal);
      return;
    }
  }

  private sessionContext(lease: SubscriptionLease, signal: AbortSignal, stopping: AbortSignal, progress?: StoredProgress): SessionContext {
    return {
      lease,
      signal,
      stopping,
      progress,
      store: this.deps.store,
      delivery: this.delivery,
      settings: this.sessionSettings(),
      wakeUp: this.wakeUp,
      acknowledged: (position) => this.acknowledged(position),
      failed: (recorded, error, attempt) => this.failed(recorded, error, attempt),
      decided: (recorded, decision, attempt, byHandler) => this.decided(recorded, decision, attempt, byHandler),
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
      filter: { eventTypes: this.delivery.eventTypes(), streamId: metadata.stream, streamPrefix: metadata.streamPrefix },
      includes: this.placement && ((recorded) => this.placement!.includes(recorded)),
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
    if (isUnknownEventType(error)) this.current.unreadable ??= unreadableEventOf(recorded, error);
    this.logger.error(
      `Subscription '${this.name}' failed on ${recorded.eventType} at position ${recorded.globalPosition} (attempt ${attempt}): ${messageOf(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
  }

  private decided(recorded: RecordedEvent, decision: ErrorDecision, attempt: number, byHandler: boolean): void {
    const who = byHandler ? 'onError' : `the '${this.sessionSettings().errorPolicy}' error policy`;
    const line = `Subscription '${this.name}': ${who} decided to ${decision.action} ${recorded.eventType} at position ${recorded.globalPosition} (attempt ${attempt})`;
    if (decision.action === 'stop') this.logger.error(line);
    else this.logger.warn(line);
  }

  private resetFailed(position: number, error: unknown): void {
    this.current.lastError = { message: messageOf(error), position, at: new Date() };
    this.logger.error(
      `Subscription '${this.name}' could not be reset to position ${position}: @BeforeReset failed (${messageOf(error)}); nothing was reset, and it stays stopped until the reset is asked for again or it is restarted`,
      error instanceof Error ? error.stack : undefined,
    );
  }

  private setState(state: SubscriptionState): void {
    this.current.state = state;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
