import type { ErrorPolicy } from '../decorators/subscription-options.js';

/** Defaults of every subscription (`subscriptions` in the module options). */
export interface SubscriptionsOptions {
  /** @default 'retry' */
  errorPolicy?: ErrorPolicy;
  /** Attempts under the 'retry' policy before the subscription stops. @default 5 */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each attempt. @default 100 */
  retryDelay?: number;
  /** Safety-net poll for missed wake-ups, in ms. @default 1000 */
  pollInterval?: number;
  /** How often a standby process tries to take a subscription over, in ms. @default 1000 */
  lockRetryInterval?: number;
  /**
   * How long a node that stopped heartbeating still counts among the independent nodes sharing a
   * spread subscription, in ms: its partitions are taken over once it no longer counts (a node that
   * stops cleanly leaves at once). Cluster mode uses the cluster's `nodeTimeout` instead. @default 5000
   */
  memberTimeout?: number;
  /** Events read per page. @default 500 */
  batchSize?: number;
  /**
   * How often the process firing a process manager's scheduled commands looks for due ones, in ms.
   * It also wakes at the earliest due time it knows of, and at once when this process schedules one.
   * @default 1000
   */
  schedulePollInterval?: number;
}

/** {@link SubscriptionsOptions} with every default filled in. */
export type SubscriptionsSettings = Required<SubscriptionsOptions>;

/** Injection token of the resolved {@link SubscriptionsSettings}. */
export const SUBSCRIPTIONS_SETTINGS = Symbol('SubscriptionsSettings');
