import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** A dispatch took longer than its `timeout`. */
export class CommandTimeoutError extends EventSourcingError {
  static readonly code = 'COMMAND_TIMEOUT';
  constructor(
    readonly commandName: string,
    readonly timeoutMs: number,
  ) {
    super(CommandTimeoutError.code, `Command '${commandName}' did not finish within ${timeoutMs} ms; it may still complete, so retry idempotently`);
  }
}

/** True when `error` is a {@link CommandTimeoutError}. */
export const isCommandTimeout = codeGuard<CommandTimeoutError>(CommandTimeoutError.code);
