import type { Type } from '@nestjs/common';
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
  /**
   * Hooks around every dispatch, run in order: objects, or classes Nest builds with their
   * constructor's dependencies (the registered provider when the class is one). @default []
   */
  middleware?: Array<CommandMiddleware | Type<CommandMiddleware>>;
  /**
   * How long, in ms, a command that produced events stays recorded: sending the same command id
   * again within this time returns the original outcome instead of running it twice. Older records
   * are pruned periodically. @default 604800000 (7 days)
   */
  idempotencyRetention?: number;
}

/** Default of {@link CommandOptions.idempotencyRetention}: 7 days. */
export const DEFAULT_IDEMPOTENCY_RETENTION = 7 * 24 * 60 * 60 * 1000;

/** {@link CommandOptions} with every default filled in. */
export type CommandSettings = Required<CommandOptions>;

/** Injection token of the resolved {@link CommandSettings}. */
export const COMMAND_SETTINGS = Symbol('CommandSettings');
