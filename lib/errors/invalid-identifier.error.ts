import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A stream id, command id or subscription name the event store cannot hold: empty, too long,
 * containing a NUL character or a lone surrogate. Refused by every adapter before the database
 * sees it; nothing was read or written.
 */
export class InvalidIdentifierError extends EventSourcingError {
  static readonly code = 'INVALID_IDENTIFIER';
  constructor(
    /** What the value names, e.g. `stream id`. */
    readonly kind: string,
    readonly problem: string,
  ) {
    super(InvalidIdentifierError.code, `Invalid ${kind}: ${problem}`);
  }
}

/** True when `error` is a {@link InvalidIdentifierError}. */
export const isInvalidIdentifier = codeGuard<InvalidIdentifierError>(InvalidIdentifierError.code);
