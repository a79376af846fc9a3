/** What a subscription does when a handler throws. */
export type ErrorPolicy = 'retry' | 'skip' | 'stop';

/** Options shared by `@EventHandler`, `@Projector` and `@ProcessManager`. */
export interface SubscriptionOptions {
  /** Unique name; the checkpoint and the one-runner lock are keyed by it. */
  name: string;
  /** Where a new subscription (no checkpoint yet) starts. @default 'origin' */
  startFrom?: 'origin' | 'current';
  /** `'strong'` makes strong dispatches wait for this subscription. @default 'eventual' */
  consistency?: 'eventual' | 'strong';
  /**
   * `'retry'` retries with exponential backoff, then stops; `'skip'` logs and moves on;
   * `'stop'` halts the subscription. @default the module's `subscriptions.errorPolicy`
   */
  errorPolicy?: ErrorPolicy;
}

/** Which decorator declared a subscription. */
export type SubscriptionKind = 'handler' | 'projector' | 'process-manager';

/** Resolved subscription metadata. */
export interface SubscriptionMetadata extends SubscriptionOptions {
  kind: SubscriptionKind;
}
