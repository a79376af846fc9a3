import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** The command's payload failed its `validate()` check, or is not a command object. */
export class InvalidCommandError extends EventSourcingError {
  static readonly code = 'INVALID_COMMAND';
  constructor(
    readonly commandName: string,
    readonly problems: string[],
  ) {
    super(InvalidCommandError.code, `Command '${commandName}' is invalid: ${problems.join('; ')}`);
  }
}

/** True when `error` is a {@link InvalidCommandError}. */
export const isInvalidCommand = codeGuard<InvalidCommandError>(InvalidCommandError.code);
