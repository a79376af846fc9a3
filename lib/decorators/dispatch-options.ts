import type { Consistency } from './subscription-options.js';

/** What `dispatch` can resolve with. */
export const RETURNING = ['none', 'aggregateVersion', 'events', 'aggregateState', 'executionResult'] as const;
/** One of {@link RETURNING}. */
export type Returning = (typeof RETURNING)[number];

/** Options of one dispatch (kept beside the subscription options: handlers dispatch through their context too). */
export interface DispatchOptions {
  /**
   * `'strong'` waits for every strong subscription; a list of names waits for those.
   * @default the module's `commands.consistency`
   */
  consistency?: Consistency | string[];
  /** ms to wait for the command (and its consistency). @default the module's `commands.timeout` */
  timeout?: number;
  /** Stored with every event the command produces. @default {} */
  metadata?: Record<string, unknown>;
  /** @default a new id */
  commandId?: string;
  /** Id of what caused this command. @default the command id */
  causationId?: string;
  /** Id shared by a whole conversation. @default the command id */
  correlationId?: string;
  /** @default 'none' */
  returning?: Returning;
}
