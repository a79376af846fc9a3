import type { EventStore } from '../../event-store/event-store.interface.js';
import type { SubscriptionControlState } from '../../event-store/subscription-control.interface.js';
import type { SubscriptionLease } from '../../event-store/subscription-lease.interface.js';
import type { ControlWatch } from './control-watch.js';
import type { SubscriptionDefinition } from '../subscription-definition.js';

/** What an owner does next: deliver, wait while paused, wait after a failed reset, or give a stale lease up. */
export type OwnerStep = 'deliver' | 'paused' | 'reset-failed' | 'stale';

/**
 * The owner's side of operator control. A request raises the epoch (reset, restart) or sets a
 * flag (pause) in the store; the owner hears of it by poll or pubsub, stops its session, and
 * before delivering again re-reads the stored state here: a stale lease is given up (the next
 * owner takes a fresh epoch), and a pending reset is carried out by whichever node owns the
 * subscription next, since only a node running it has the projector's `@BeforeReset`. A partition
 * of a spread subscription does not reset itself: it waits, like a paused one, until the reset of
 * the whole subscription (one `@BeforeReset`, every partition moved with it) raises its epoch.
 */
export class OwnerControl {
  constructor(
    private readonly store: EventStore,
    private readonly watch: ControlWatch,
    private readonly definition: SubscriptionDefinition,
    /** Told when `@BeforeReset` throws; the reset stays pending. */
    private readonly resetFailed: (position: number, error: unknown) => void,
  ) {}

  /**
   * Reads the stored state (unless `known`: the state just read with the lease), carries out a
   * pending reset, and says what comes next.
   */
  async next(lease: SubscriptionLease, known?: SubscriptionControlState): Promise<OwnerStep> {
    const state = known ?? (await this.store.control.readControl(lease.name));
    if (state) this.watch.update(state);
    if (!state || state.epoch !== lease.epoch) return 'stale';
    if (state.resetTo !== null && state.partitionOf !== undefined) return 'paused';
    if (state.resetTo !== null) {
      if (!(await this.reset(lease, state.resetTo))) return 'reset-failed';
      // What this owner just wrote; else the pending reset it read would interrupt the session at once.
      this.watch.update({ ...state, position: state.resetTo, resetTo: null });
    }
    return state.paused ? 'paused' : 'deliver';
  }

  /** True when a known state asks a delivering owner to stop and look again. */
  interrupts(lease: SubscriptionLease): (state: SubscriptionControlState) => boolean {
    return (state) => superseded(lease)(state) || state.paused || state.resetTo !== null;
  }

  /** True when a known state lets a paused owner go on. */
  resumes(lease: SubscriptionLease): (state: SubscriptionControlState) => boolean {
    return (state) => superseded(lease)(state) || (!state.paused && state.resetTo === null);
  }

  /** True when a known state ends a halt or a failed reset: a new request raised the epoch. */
  supersedes(lease: SubscriptionLease): (state: SubscriptionControlState) => boolean {
    return superseded(lease);
  }

  /** `@BeforeReset` and the checkpoint's move in one transaction; false when `@BeforeReset` threw. */
  private async reset(lease: SubscriptionLease, position: number): Promise<boolean> {
    const { beforeReset } = this.definition;
    let failure: { error: unknown } | undefined;
    try {
      await lease.reset(position, async (sql) => {
        try {
          await beforeReset?.({ position, sql: this.store.sql && sql });
        } catch (error) {
          failure = { error };
          throw error;
        }
      });
      return true;
    } catch (error) {
      if (!failure) throw error;
      this.resetFailed(position, failure.error);
      return false;
    }
  }
}

const superseded = (lease: SubscriptionLease) => (state: SubscriptionControlState) => state.epoch > lease.epoch;
