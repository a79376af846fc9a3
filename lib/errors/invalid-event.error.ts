import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** An event to append is not a registered `@DomainEvent` instance or cannot be stored as JSON. */
export class InvalidEventError extends EventSourcingError {
  static readonly code = 'INVALID_EVENT';
  constructor(message: string) {
    super(InvalidEventError.code, message);
  }
}

/** True when `error` is a {@link InvalidEventError}. */
export const isInvalidEvent = codeGuard<InvalidEventError>(InvalidEventError.code);
