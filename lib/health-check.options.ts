import { InvalidOptionsError } from './errors/invalid-options.error.js';

/** Thresholds of one subscription, overriding {@link HealthCheckOptions}' defaults. */
export interface SubscriptionHealthOptions {
  /** Most events this subscription may trail the store's head by. @default the `maxLag` of the check */
  maxLag?: number;
}

/** Options of `EventSourcingHealthIndicator.isReady` and `.check`. */
export interface HealthCheckOptions {
  /** ms the store may take to answer its probe query before it counts as unreachable. @default 2000 */
  storeTimeout?: number;
  /** Most events a subscription may trail the store's head by (head position − checkpoint). @default 1000 */
  maxLag?: number;
  /** Per-subscription thresholds, by subscription name. @default {} */
  subscriptions?: Record<string, SubscriptionHealthOptions>;
}

/** Options of `EventSourcingHealthIndicator.isLive`. */
export interface LivenessOptions {
  /**
   * Longest the event loop may have been held (in ms) since the previous check. One longer freeze fails
   * one probe; orchestrators restart only after several failures in a row (Kubernetes: 3). @default 1000
   */
  maxEventLoopDelay?: number;
}

/** {@link HealthCheckOptions} with defaults filled. */
export type ResolvedHealthCheckOptions = Required<HealthCheckOptions>;

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isPositive = (value: unknown) => Number.isFinite(value) && (value as number) > 0;

/** Checks health check options against the subscriptions that exist; throws `InvalidOptionsError` naming every bad key. */
export function resolveHealthCheckOptions(options: HealthCheckOptions, subscriptions: string[]): ResolvedHealthCheckOptions {
  const { storeTimeout = 2000, maxLag = 1000, subscriptions: overrides = {} } = options;
  const problems: string[] = [];
  if (!isPositive(storeTimeout)) problems.push(`'storeTimeout' must be a positive number of ms, got ${JSON.stringify(storeTimeout)}`);
  if (!isCount(maxLag)) problems.push(`'maxLag' must be a whole number of events >= 0, got ${JSON.stringify(maxLag)}`);
  for (const [name, override] of Object.entries(overrides)) {
    if (!subscriptions.includes(name)) problems.push(`'subscriptions.${name}' names no subscription; known: ${subscriptions.join(', ') || 'none'}`);
    if (override?.maxLag !== undefined && !isCount(override.maxLag)) {
      problems.push(`'subscriptions.${name}.maxLag' must be a whole number of events >= 0, got ${JSON.stringify(override.maxLag)}`);
    }
  }
  if (problems.length) throw new InvalidOptionsError(problems);
  return { storeTimeout, maxLag, subscriptions: overrides };
}

/** Checks liveness options; throws `InvalidOptionsError` on a bad threshold. */
export function resolveLivenessOptions(options: LivenessOptions): Required<LivenessOptions> {
  const { maxEventLoopDelay = 1000 } = options;
  if (!isPositive(maxEventLoopDelay)) {
    throw new InvalidOptionsError([`'maxEventLoopDelay' must be a positive number of ms, got ${JSON.stringify(maxEventLoopDelay)}`]);
  }
  return { maxEventLoopDelay };
}
