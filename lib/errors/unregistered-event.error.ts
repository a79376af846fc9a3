import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * An event to be written is of a `@DomainEvent` class that nothing registered for reading at boot,
 * so a restarted process could not read it back; refused before anything is written.
 */
export class UnregisteredEventError extends EventSourcingError {
  static readonly code = 'UNREGISTERED_EVENT';
  constructor(
    /** Name of the event class. */
    readonly eventClass: string,
    /** Its stored type name, from `@DomainEvent`. */
    readonly eventType: string,
    /** The aggregate class that emitted it, when known. */
    readonly aggregate?: string,
  ) {
    super(
      UnregisteredEventError.code,
      `event class ${eventClass} (stored as '${eventType}') is not registered for reading, so a restarted process could not read it back: ` +
        `add @Apply(${eventClass}) to ${aggregate ? `aggregate ${aggregate}` : 'the aggregate that emits it'}, an @On(${eventClass}) handler, ` +
        `or list it in EventSourcingModule.forFeature({ events: [${eventClass}] }); nothing was written`,
    );
  }
}

/** True when `error` is an {@link UnregisteredEventError}. */
export const isUnregisteredEvent = codeGuard<UnregisteredEventError>(UnregisteredEventError.code);
