import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** Module or dispatch options are malformed; the message names each bad key and what is accepted. */
export class InvalidOptionsError extends EventSourcingError {
  static readonly code = 'INVALID_OPTIONS';
  constructor(readonly problems: string[]) {
    super(InvalidOptionsError.code, `Invalid event sourcing options: ${problems.join('; ')}`);
  }
}

/** True when `error` is a {@link InvalidOptionsError}. */
export const isInvalidOptions = codeGuard<InvalidOptionsError>(InvalidOptionsError.code);
