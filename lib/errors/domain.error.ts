import { EventSourcingError } from './event-sourcing.error.js';

/** Base for business-rule violations thrown by `@Execute` handlers; extend it so callers can tell them from faults. */
export class DomainError extends EventSourcingError {
  static readonly code = 'DOMAIN_ERROR';
  constructor(message: string, code = DomainError.code) {
    super(code, message);
  }
}

/** True when `error` is a {@link DomainError}. */
export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
