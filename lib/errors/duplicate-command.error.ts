import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A command id was used before for another command: a different payload, command type or
 * aggregate. Nothing was written. A command id names one intended change; send a new change
 * under a new id, and repeat a command only with exactly the same content.
 */
export class DuplicateCommandError extends EventSourcingError {
  static readonly code = 'DUPLICATE_COMMAND';
  constructor(
    readonly commandId: string,
    /** What differs from the recorded command, e.g. `a different payload`. */
    readonly difference: string,
  ) {
    super(
      DuplicateCommandError.code,
      `Command id '${commandId}' was already used for ${difference}; nothing was written. ` +
        'Use a new command id for a new command, and resend an id only with the same command, aggregate and payload',
    );
  }
}

/** True when `error` is a {@link DuplicateCommandError}. */
export const isDuplicateCommand = codeGuard<DuplicateCommandError>(DuplicateCommandError.code);
