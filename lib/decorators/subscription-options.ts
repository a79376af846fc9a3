/** How long a dispatch waits for subscriptions: not at all, or until strong ones have the change. */
export const CONSISTENCY_LEVELS = ['eventual', 'strong'] as const;
/** One of {@link CONSISTENCY_LEVELS}. */
export type Consistency = (typeof CONSISTENCY_LEVELS)[number];

/** What a subscription may do when a handler throws. */
export const ERROR_POLICIES = ['retry', 'skip', 'stop'] as const;
/** One of {@link ERROR_POLICIES}. */
export type ErrorPolicy = (typeof ERROR_POLICIES)[number];

/** Where a subscription that never ran starts. */
export const START_POSITIONS = ['origin', 'current'] as const;

/** Options shared by `@EventHandler`, `@Projector` and `@ProcessManager`. */
export interface SubscriptionOptions {
  /** Unique name; the checkpoint and the one-runner lock are keyed by it. */
  name: string;
  /** Where a new subscription (no checkpoint yet) starts. @default 'origin' */
  startFrom?: (typeof START_POSITIONS)[number];
  /** `'strong'` makes strong dispatches wait for this subscription. @default 'eventual' */
  consistency?: Consistency;
  /**
   * `'retry'` retries with exponential backoff, then stops; `'skip'` logs and moves on;
   * `'stop'` halts the subscription. @default the module's `subscriptions.errorPolicy`
   */
  errorPolicy?: ErrorPolicy;
}

/** Options of `@Projector`. */
export interface ProjectorOptions extends SubscriptionOptions {
  /**
   * Runs the `@On` methods inside the transaction of each append made by a command (SQL stores
   * only): the read model commits with the events, a throwing method fails the command and
   * nothing is written, and strong dispatches need not wait for it. No checkpoint, no runner; see
   * the README's "Inline projections" for the limits. @default false
   */
  inline?: boolean;
}

/** Which decorator declared a subscription. */
export type SubscriptionKind = 'handler' | 'projector' | 'process-manager';

/** Resolved subscription metadata. */
export interface SubscriptionMetadata extends ProjectorOptions {
  kind: SubscriptionKind;
}
