import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** An appended event id already exists in the store. */
export class DuplicateEventError extends EventSourcingError {
  static readonly code = 'DUPLICATE_EVENT';
  constructor(readonly eventId: string) {
    super(DuplicateEventError.code, `An event with id '${eventId}' is already stored`);
  }
}

/** True when `error` is a {@link DuplicateEventError}. */
export const isDuplicateEvent = codeGuard<DuplicateEventError>(DuplicateEventError.code);
