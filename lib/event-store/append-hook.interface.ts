import type { AppendOptions } from './command-record.js';

/**
 * Work a command's append runs in its own transaction (the inline projectors), provided by the
 * subscriptions layer to the commit path without the two knowing each other.
 */
export interface AppendHook {
  /** What to pass as the append's `inTransaction`, or undefined when there is nothing to run. */
  inTransaction(): AppendOptions['inTransaction'];
}

/** Injection token of the {@link AppendHook} port. */
export const AppendHook = Symbol('AppendHook');
