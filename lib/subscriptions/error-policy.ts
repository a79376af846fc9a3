import type { ErrorPolicy } from '../decorators/subscription-options.js';
import { isStoreUnavailable } from '../errors/store-unavailable.error.js';
import { isSubscriptionLost } from '../errors/subscription-lost.error.js';
import { sleep } from './wake-up.js';

/** How one event's delivery ended. */
export type DeliveryOutcome = 'handled' | 'skipped' | 'halted' | 'interrupted';

/** The error-policy settings of one subscription. */
export interface ErrorPolicySettings {
  errorPolicy: ErrorPolicy;
  /** Attempts under `'retry'`, the first one included. */
  maxAttempts: number;
  /** First retry delay in ms, doubled each attempt. */
  retryDelay: number;
}

/**
 * Failures that are not the handler's fault: the lease is gone or the store is unreachable.
 * They never count against the error policy (skipping an event because a connection dropped
 * would lose it); the runner deals with them instead.
 */
export const isInfrastructureFailure = (error: unknown): boolean => isSubscriptionLost(error) || isStoreUnavailable(error);

/**
 * Runs `work` for one event under the error policy. `'retry'` runs it up to `maxAttempts` times
 * with exponential backoff, then halts; `'skip'` gives up on the event; `'stop'` halts at once.
 * `failedAttempts` counts failures that happened before the call (already reported). Infrastructure
 * failures are rethrown; an abort during a backoff ends it as `'interrupted'`.
 */
export async function deliverWithPolicy(
  work: () => Promise<void>,
  settings: ErrorPolicySettings,
  signal: AbortSignal,
  onFailure: (error: unknown, attempt: number) => void,
  failedAttempts = 0,
): Promise<DeliveryOutcome> {
  for (let attempt = failedAttempts + 1; ; attempt++) {
    if (attempt > 1) {
      if (settings.errorPolicy === 'skip') return 'skipped';
      if (settings.errorPolicy === 'stop' || attempt > settings.maxAttempts) return 'halted';
      await sleep(settings.retryDelay * 2 ** (attempt - 2), signal);
      if (signal.aborted) return 'interrupted';
    }
    try {
      await work();
      return 'handled';
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      onFailure(error, attempt);
    }
  }
}
