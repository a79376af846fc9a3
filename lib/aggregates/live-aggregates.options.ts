/** How live aggregate instances are kept (`aggregates` in the module options). */
export interface LiveAggregatesOptions {
  /** Evict an instance unused for this many ms. @default 300000 */
  idleTimeout?: number;
  /** Most live instances per process; the least recently used is evicted. @default 10000 */
  maxInstances?: number;
  /**
   * Mark an instance stale when another node announces a write to its stream, so it catches up
   * before its next command instead of after a conflict. @default true
   */
  invalidation?: boolean;
}

/** {@link LiveAggregatesOptions} with every default filled in. */
export type LiveAggregatesSettings = Required<LiveAggregatesOptions>;

/** What the aggregate runtime reads: the lifespan settings and how often a conflicting command is tried. */
export interface AggregateSettings extends LiveAggregatesSettings {
  /** From `commands.maxAttempts`. */
  maxAttempts: number;
}

/** Injection token of the {@link AggregateSettings}. */
export const AGGREGATE_SETTINGS = Symbol('AggregateSettings');
