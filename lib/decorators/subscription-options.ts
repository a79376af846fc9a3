/** How long a dispatch waits for subscriptions: not at all, or until strong ones have the change. */
export const CONSISTENCY_LEVELS = ['eventual', 'strong'] as const;
/** One of {@link CONSISTENCY_LEVELS}. */
export type Consistency = (typeof CONSISTENCY_LEVELS)[number];

/** What a subscription may do when a handler throws. */
export const ERROR_POLICIES = ['retry', 'skip', 'stop', 'park'] as const;
/** One of {@link ERROR_POLICIES}. */
export type ErrorPolicy = (typeof ERROR_POLICIES)[number];

/** What per-stream parking holds back: only the failed event, or its stream's later events too. */
export const PARK_MODES = ['event', 'stream'] as const;
/** One of {@link PARK_MODES}. */
export type ParkMode = (typeof PARK_MODES)[number];

/** What `partitionBy` sees of an event besides its payload (an `EventContext` fits). */
export interface PartitionContext {
  streamId: string;
  eventType: string;
  globalPosition: number;
  metadata: Record<string, unknown>;
}

/** Where a subscription that never ran starts. */
export const START_POSITIONS = ['origin', 'current'] as const;

/** Options shared by `@EventHandler`, `@Projector` and `@ProcessManager`. */
export interface SubscriptionOptions {
  /** Unique name; the checkpoint and the one-runner lock are keyed by it. */
  name: string;
  /**
   * Where a new subscription (no checkpoint yet) starts: the first event, the head, after a global
   * position, or at the first event recorded at or after a `Date`. @default 'origin'
   */
  startFrom?: (typeof START_POSITIONS)[number] | number | Date;
  /** Only the events of this one stream, e.g. `'account-42'`. @default every stream */
  stream?: string;
  /** Only the events of streams whose id starts with this, e.g. `'account-'` (a category). @default every stream */
  streamPrefix?: string;
  /** `'strong'` makes strong dispatches wait for this subscription. @default 'eventual' */
  consistency?: Consistency;
  /**
   * `'retry'` retries with exponential backoff, then stops; `'skip'` logs and moves on;
   * `'stop'` halts the subscription; `'park'` retries like `'retry'`, then parks the event
   * (see `parkMode`) and moves on. @default the module's `subscriptions.errorPolicy`
   */
  errorPolicy?: ErrorPolicy;
  /**
   * Under `'park'`: `'event'` parks the failed event only; `'stream'` also holds its stream's later
   * events (parked behind it, in order) until it is resolved, while other streams go on. @default 'event'
   */
  parkMode?: ParkMode;
  /**
   * Partitions handled at once. Events of one partition are handled in order, one at a time;
   * different partitions in parallel. For a process manager the partition is the process id.
   * @default 1 (one event at a time, in global order); 256 for a process manager
   */
  concurrency?: number;
}

/** How a subscription is spread over the nodes that run it. */
export interface SpreadOptions {
  /**
   * Partitions it is split into, by a hash of the stream id (a stream's events stay in one, in
   * order). Each has its own checkpoint and lease, and the live nodes share them, about
   * `partitions / nodes` each. Fixed once stored: another count is refused with `PartitionLayoutError`.
   */
  partitions: number;
}

/** Options of `@EventHandler` and `@Projector`. */
export interface HandlerSubscriptionOptions extends SubscriptionOptions {
  /**
   * Splits the subscription into partitions that the nodes running it share, instead of one node
   * running it whole (PostgreSQL or embedded stores). `concurrency` then applies within each
   * partition. @default not spread: one node runs it
   */
  spread?: SpreadOptions;
  /**
   * The partition of an event: events with the same key keep their order. Only with `concurrency` above 1.
   * @default the event's stream id
   */
  partitionBy?: (event: object, context: PartitionContext) => string;
}

/** Options of `@Projector`. */
export interface ProjectorOptions extends HandlerSubscriptionOptions {
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
