import { Logger, type LoggerService } from '@nestjs/common';
import { partitionName, streamPartition } from '../../event-store/stream-partition.js';
import type { SubscriptionControlState } from '../../event-store/subscription-control.interface.js';
import type { SubscriptionDefinition } from '../subscription-definition.js';
import { SubscriptionRunner, type SubscriptionRunnerDeps } from '../subscription-runner.js';
import type { RunsSubscription } from '../subscription-runners.js';
import type { SubscriptionStatus } from '../subscription-status.js';
import { WakeUp } from '../wake-up.js';
import { assignPartitions } from './partition-assignment.js';
import type { SpreadMembership } from './spread-membership.js';
import { SpreadOwnLease } from './spread-own-lease.js';
import { spreadStatus } from './spread-status.js';

/**
 * Runs a subscription spread over partitions (`spread: { partitions }`): one {@link SubscriptionRunner}
 * per partition, each with its own lease, epoch fence and checkpoint, that holds its partition only
 * while this node is meant to. Every `lockRetryInterval` (and at once when another node releases a
 * partition) it heartbeats, learns the live nodes and recomputes the assignment: a partition that is
 * now another node's is handed over at a safe point (events in hand finished, checkpoint stored, lease
 * released), and the new holder resumes from that checkpoint. A dead node's partitions move once it
 * no longer counts as live and its leases are gone. The subscription's own lease serves the whole
 * ({@link SpreadOwnLease}): splitting it once, resetting every partition at once.
 */
export class SpreadRunner implements RunsSubscription {
  readonly names: readonly string[];
  private readonly partitions: SubscriptionRunner[];
  private readonly shutdown = new AbortController();
  private readonly wakeUp = new WakeUp();
  private readonly own: SpreadOwnLease;
  private readonly logger: LoggerService;
  private assignment: readonly string[] = [];
  private split = false;
  private loop?: Promise<void>;

  constructor(
    private readonly definition: SubscriptionDefinition,
    private readonly deps: SubscriptionRunnerDeps,
    private readonly membership: SpreadMembership,
  ) {
    this.logger = deps.logger ?? new Logger(SpreadRunner.name);
    const count = this.count;
    this.partitions = Array.from(
      { length: count },
      (_, index) =>
        new SubscriptionRunner(definition, deps, {
          name: partitionName(this.name, index),
          index,
          includes: (recorded) => streamPartition(recorded.streamId, count) === index,
          wanted: () => this.split && this.assignment[index] === membership.self,
        }),
    );
    this.names = [this.name, ...this.partitions.map((runner) => runner.name)];
    this.own = new SpreadOwnLease(definition, deps, membership.self);
  }

  get name(): string {
    return this.definition.metadata.name;
  }

  private get count(): number {
    return this.definition.metadata.spread!.partitions;
  }

  start(): void {
    this.loop ??= this.run();
    this.partitions.forEach((runner) => runner.start());
  }

  /** Stops taking part: no more heartbeats, then every held partition finishes its events in hand and is released. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.loop;
    await this.own.stop();
    await this.membership.leave(this.name).catch(() => undefined);
    await Promise.all(this.partitions.map((runner) => runner.stop()));
  }

  status(): SubscriptionStatus {
    const status = spreadStatus(
      this.definition.metadata,
      this.partitions.map((runner) => runner.status()),
    );
    const failure = this.own.failure;
    return failure ? { ...status, state: 'stopped', lastError: failure } : status;
  }

  controlled(state: SubscriptionControlState): void {
    if (state.name !== this.name) return this.partitions.find((runner) => runner.name === state.name)?.controlled(state);
    if (this.own.controlled(state)) this.wakeUp.notify();
  }

  wake(position?: number, types?: readonly string[]): void {
    this.partitions.forEach((runner) => runner.wake(position, types));
  }

  /** A partition was released: the node that let it go may have left, so the assignment is looked at now. */
  retryLease(name: string): void {
    this.partitions.find((runner) => runner.name === name)?.retryLease();
    this.wakeUp.notify();
  }

  wakeParked(): void {
    this.partitions.forEach((runner) => runner.wakeParked());
  }

  private async run(): Promise<void> {
    const { lockRetryInterval } = this.deps.settings;
    while (!this.shutdown.signal.aborted && !this.own.refused) {
      try {
        await this.step();
      } catch (error) {
        this.logger.warn(`Spread subscription '${this.name}' could not look at its partitions: ${messageOf(error)}`);
      }
      await this.wakeUp.wait(lockRetryInterval, this.shutdown.signal);
    }
  }

  private async step(): Promise<void> {
    if (!this.split) {
      this.split = await this.own.split(this.count);
      if (!this.split) return;
    }
    const assignment = assignPartitions(this.count, await this.membership.live(this.name));
    if (assignment.join() !== this.assignment.join()) {
      this.assignment = assignment;
      const mine = assignment.flatMap((node, index) => (node === this.membership.self ? [index] : []));
      this.logger.log(
        `Spread subscription '${this.name}': node '${this.membership.self}' is meant to hold partitions [${mine.join(', ')}] of ${this.count} (${new Set(assignment).size} nodes)`,
      );
      this.partitions.forEach((runner) => runner.reassess());
    }
    await this.own.resetIfAsked();
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
