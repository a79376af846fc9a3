import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** A stored event names a type that no registered `@DomainEvent` class declares. */
export class UnknownEventTypeError extends EventSourcingError {
  static readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(
    readonly eventType: string,
    where = 'the event store',
  ) {
    super(
      UnknownEventTypeError.code,
      `Event type '${eventType}' read from ${where} has no class: decorate one with @DomainEvent('${eventType}') and register it`,
    );
  }
}

/** True when `error` is a {@link UnknownEventTypeError}. */
export const isUnknownEventType = codeGuard<UnknownEventTypeError>(UnknownEventTypeError.code);
