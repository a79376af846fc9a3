import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * The node began shutting down before this command reached it: nothing of it ran. Commands
 * accepted earlier still finish. Send it to another node, or to this one once it is back.
 */
export class ShuttingDownError extends EventSourcingError {
  static readonly code = 'SHUTTING_DOWN';
  /** Nothing ran: the command may be sent again as it is. */
  readonly retryable = true;

  constructor(
    readonly node: string,
    readonly commandName: string,
  ) {
    super(ShuttingDownError.code, `Node '${node}' is shutting down and takes no new commands; '${commandName}' did not run: send it to another node`);
  }
}

/** True when `error` is a {@link ShuttingDownError}. */
export const isShuttingDown = codeGuard<ShuttingDownError>(ShuttingDownError.code);
