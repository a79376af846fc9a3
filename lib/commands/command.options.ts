import type { Consistency } from '../decorators/subscription-options.js';
import type { CommandMiddleware } from './command-middleware.interface.js';

/** How commands are dispatched (`commands` in the module options). */
export interface CommandOptions {
  /** Default dispatch timeout in ms. @default 5000 */
  timeout?: number;
  /** Attempts of a command whose append conflicted. @default 10 */
  maxAttempts?: number;
  /** @default 'eventual' */
  consistency?: Consistency;
  /** Hooks around every dispatch, run in order. @default [] */
  middleware?: CommandMiddleware[];
}

/** {@link CommandOptions} with every default filled in. */
export type CommandSettings = Required<CommandOptions>;

/** Injection token of the resolved {@link CommandSettings}. */
export const COMMAND_SETTINGS = Symbol('CommandSettings');
