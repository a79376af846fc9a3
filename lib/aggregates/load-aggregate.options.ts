import type { AggregateAt } from '../event-store/aggregate-at.js';

/** Options of `AggregateReader.load`. */
export interface LoadAggregateOptions {
  /**
   * Load the aggregate as it was at this point of its history (time travel) instead of now:
   * `{ version: 5 }`, or `{ time: new Date('2026-03-01T00:00:00Z') }` (inclusive, on the store's clock).
   * @default undefined (its current state)
   */
  at?: AggregateAt;
  /** The tenant whose aggregate to read, when the module serves tenants (required there). @default the tenant of the `Tenants.run` around the call, if any */
  tenant?: string;
}

/** Options of `AggregateReader.loadStream`. */
export interface LoadStreamOptions extends LoadAggregateOptions {
  /**
   * The aggregate's type name (its class name), when several registered aggregates share the
   * longest prefix the stream id starts with. @default the one aggregate whose prefix fits best
   */
  aggregate?: string;
}

/** An aggregate's state and the stream version it includes. */
export interface LoadedAggregate<T extends object = object> {
  /** A detached instance of the aggregate class: changing it changes nothing stored or live. */
  state: T;
  version: number;
}
