import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** A control request whose arguments cannot be carried out (e.g. a reset to a negative position). Nothing was written. */
export class InvalidControlRequestError extends EventSourcingError {
  static readonly code = 'INVALID_CONTROL_REQUEST';
  constructor(message: string) {
    super(InvalidControlRequestError.code, message);
  }
}

/** True when `error` is an {@link InvalidControlRequestError}. */
export const isInvalidControlRequest = codeGuard<InvalidControlRequestError>(InvalidControlRequestError.code);
