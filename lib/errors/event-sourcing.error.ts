/**
 * Base of every error this library throws. `code` is stable across versions, so callers can
 * branch on it (or on the `isX` guards) instead of parsing messages.
 */
export class EventSourcingError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `WRONG_EXPECTED_VERSION`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for any error raised by this library. */
export const isEventSourcingError = (error: unknown): error is EventSourcingError => error instanceof EventSourcingError;

/** Builds a guard that recognises an error by its code, across module copies of the class. */
export const codeGuard =
  <T extends EventSourcingError>(code: string) =>
  (error: unknown): error is T =>
    error instanceof Error && (error as Partial<EventSourcingError>).code === code;
