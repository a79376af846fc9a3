import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

const unregistered = (eventType: string, where: string) =>
  `Event type '${eventType}' stored in ${where} has no class registered for reading: the class decorated @DomainEvent('${eventType}') ` +
  `must be named by an @Apply of its aggregate, an @On/@OnBatch or a process-manager step, or be listed in ` +
  `EventSourcingModule.forFeature({ events: [...] }); deploy that and restart (a renamed class keeps the stored name in @DomainEvent)`;

const notUpcast = (eventType: string, where: string, version: number) =>
  `Event type '${eventType}' v${version} stored in ${where} cannot be read: no upcaster to v${version + 1} ` +
  `(an EventUpcaster { eventType: '${eventType}', fromVersion: ${version} }): add one to EventSourcingModule.forRoot({ upcasters }) and restart`;

/**
 * A stored event cannot be revived by this code: no registered `@DomainEvent` class declares its
 * type, or (with `schemaVersion`) no upcaster lifts the schema version it was written with.
 */
export class UnknownEventTypeError extends EventSourcingError {
  static readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(
    readonly eventType: string,
    /** Where it is stored, e.g. `stream 'order-1' at version 3`. */
    where = 'the event store',
    /** The stored schema version no upcaster lifts, when that is what is missing. */
    readonly schemaVersion?: number,
  ) {
    super(UnknownEventTypeError.code, schemaVersion === undefined ? unregistered(eventType, where) : notUpcast(eventType, where, schemaVersion));
  }
}

/** True when `error` is a {@link UnknownEventTypeError}. */
export const isUnknownEventType = codeGuard<UnknownEventTypeError>(UnknownEventTypeError.code);
