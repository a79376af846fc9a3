import { Logger, type LoggerService } from '@nestjs/common';
import { isPartitionLayout } from '../../errors/partition-layout.error.js';
import { resolveResetTarget } from '../../event-store/reset-target.js';
import type { SubscriptionControlState } from '../../event-store/subscription-control.interface.js';
import type { SubscriptionLease } from '../../event-store/subscription-lease.interface.js';
import { ControlWatch } from '../control/control-watch.js';
import { OwnerControl, type OwnerStep } from '../control/owner-control.js';
import { announceRelease } from '../lease-released.js';
import type { SubscriptionDefinition } from '../subscription-definition.js';
import type { SubscriptionRunnerDeps } from '../subscription-runner.js';
import type { SubscriptionFailure } from '../subscription-status.js';

/**
 * What a spread subscription does with its own lease, the one a whole subscription runs under: any
 * spread node takes it for a moment to split the whole checkpoint into the partitions' (once), and
 * to carry out a requested reset for every partition at once with `@BeforeReset` run once. Holding
 * it also keeps a node running the subscription whole from starting meanwhile.
 */
export class SpreadOwnLease {
  /** The stored layout differs from the declared one: this node does not run the subscription. */
  refused?: SubscriptionFailure;
  private readonly watch = new ControlWatch();
  private readonly control: OwnerControl;
  private readonly logger: LoggerService;
  private lastError?: SubscriptionFailure;
  /**
   * Kept after `@BeforeReset` failed, as a whole subscription's owner keeps its lease: no node tries
   * that reset again until a new request raises the epoch.
   */
  private failedReset?: SubscriptionLease;

  constructor(
    private readonly definition: SubscriptionDefinition,
    private readonly deps: SubscriptionRunnerDeps,
    private readonly self: string,
  ) {
    this.logger = deps.logger ?? new Logger(SpreadOwnLease.name);
    this.control = new OwnerControl(deps.store, this.watch, definition, (position, error) => this.resetFailed(position, error));
  }

  private get name(): string {
    return this.definition.metadata.name;
  }

  /** Why this node does not deliver the subscription now: a refused layout or a failed reset. */
  get failure(): SubscriptionFailure | undefined {
    return this.refused ?? (this.failedReset && this.lastError);
  }

  /** Tells it the subscription's stored state; true when that asks for a look now (a reset to carry out). */
  controlled(state: SubscriptionControlState): boolean {
    this.watch.update(state);
    return state.resetTo !== null || (!!this.failedReset && state.epoch > this.failedReset.epoch);
  }

  /**
   * First run of the layout: the whole subscription's checkpoint (or `startFrom`, for a new one)
   * becomes every partition's. False while another node holds the lease, or when the layout is refused.
   */
  async split(count: number): Promise<boolean> {
    const lease = await this.deps.store.acquireSubscription(this.name, this.self);
    if (!lease) return false;
    try {
      if (lease.granted.control.partitions === count) return true;
      const { startFrom = 'origin' } = this.definition.metadata;
      const start = lease.isNew && startFrom !== 'origin' ? await resolveResetTarget(startFrom, this.deps.store) : 0;
      await this.deps.store.subscriptionPartitions!.split(lease, count, start);
      return true;
    } catch (error) {
      if (!isPartitionLayout(error)) throw error;
      this.refused = { message: error.message, position: lease.granted.progress.checkpoint, at: new Date() };
      this.logger.error(error.message);
      return false;
    } finally {
      await this.giveBack(lease);
    }
  }

  /** Carries out a requested reset if one is stored and this node gets the lease first. */
  async resetIfAsked(): Promise<void> {
    const state = this.watch.state;
    if (this.failedReset) {
      if (!this.failedReset.lost && !(state && state.epoch > this.failedReset.epoch)) return;
      await this.giveBack(this.failedReset);
      this.failedReset = undefined;
    }
    if (!state || state.resetTo === null) return;
    const lease = await this.deps.store.acquireSubscription(this.name, this.self);
    if (!lease) return;
    let step: OwnerStep | undefined;
    try {
      step = await this.control.next(lease, lease.granted.control);
    } finally {
      if (step === 'reset-failed') this.failedReset = lease;
      else await this.giveBack(lease);
    }
  }

  /** Gives back a lease kept after a failed reset (the node stops). */
  async stop(): Promise<void> {
    if (this.failedReset) await this.giveBack(this.failedReset);
    this.failedReset = undefined;
  }

  /** Releases the lease and says so, so that a node waiting for it tries now. */
  private async giveBack(lease: SubscriptionLease): Promise<void> {
    await lease.release().catch(() => undefined);
    await announceRelease(this.deps.pubsub, this.name).catch(() => undefined);
  }

  private resetFailed(position: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = { message, position, at: new Date() };
    this.logger.error(
      `Spread subscription '${this.name}' could not be reset to position ${position}: @BeforeReset failed (${message}); nothing was reset, and its partitions wait until the reset is asked for again or it is restarted`,
    );
  }
}
