import { isStoreUnavailable } from '../errors/store-unavailable.error.js';
import { isSubscriptionLost } from '../errors/subscription-lost.error.js';
import type { ErrorDecision } from './error-decision.js';
import { sleep } from './wake-up.js';

export type { ErrorPolicySettings } from './error-decision.js';

/** How one event's delivery ended. */
export type DeliveryOutcome =
  { kind: 'handled' } | { kind: 'skipped' } | { kind: 'parked'; error: unknown; attempts: number } | { kind: 'halted' } | { kind: 'interrupted' };

/** The decision for failed attempt `attempt`; the handler's `onError` may weigh in. */
export type Decide = (error: unknown, attempt: number) => Promise<ErrorDecision>;

/**
 * Failures that are not the handler's fault: the lease is gone or the store is unreachable.
 * They never count against the error policy (skipping an event because a connection dropped
 * would lose it); the runner deals with them instead.
 */
export const isInfrastructureFailure = (error: unknown): boolean => isSubscriptionLost(error) || isStoreUnavailable(error);

/** A failure that happened before the call (already reported), to decide on first. */
export interface PriorFailure {
  error: unknown;
  attempts: number;
}

/**
 * Runs `work` for one event, asking `decide` after each failure: retry after a delay, skip, park
 * or stop (`'halted'`). Infrastructure failures are rethrown; an abort during a delay ends it as
 * `'interrupted'`.
 */
export async function deliverWithPolicy(
  work: () => Promise<void>,
  decide: Decide,
  signal: AbortSignal,
  onFailure: (error: unknown, attempt: number) => void,
  prior?: PriorFailure,
): Promise<DeliveryOutcome> {
  let attempt = prior?.attempts ?? 0;
  let failure = prior?.error;
  for (;;) {
    if (attempt > 0) {
      const decision = await decide(failure, attempt);
      if (decision.action === 'skip') return { kind: 'skipped' };
      if (decision.action === 'stop') return { kind: 'halted' };
      if (decision.action === 'park') return { kind: 'parked', error: failure, attempts: attempt };
      await sleep(decision.delay, signal);
      if (signal.aborted) return { kind: 'interrupted' };
    }
    attempt++;
    try {
      await work();
      return { kind: 'handled' };
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      onFailure(error, attempt);
      failure = error;
    }
  }
}
