import type { AggregateAt } from '../event-store/aggregate-at.js';
import type { JsonObject } from '../event-store/recorded-event.js';

/** An aggregate's state as the inspector shows it: written as its state codec stores it in a snapshot. */
export interface InspectedState {
  streamId: string;
  /** The aggregate class's name. */
  aggregate: string;
  version: number;
  state: JsonObject;
}

/**
 * Loads the aggregate a stream belongs to, now or `at` a point of its history; each source binds
 * it to `AggregateReader.loadStream`, so the state is built by the application's own classes.
 */
export type InspectorStateReader = (streamId: string, options: { at?: AggregateAt; aggregate?: string }) => Promise<InspectedState>;
