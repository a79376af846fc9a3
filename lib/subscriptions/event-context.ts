import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { JsonObject, RecordedEvent } from '../event-store/recorded-event.js';

/** What a handler receives besides the event itself. */
export interface EventContext {
  eventId: string;
  eventType: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  metadata: JsonObject;
  causationId?: string;
  correlationId?: string;
  createdAt: Date;
  /**
   * For projectors on SQL stores: the transaction that also moves the checkpoint. Write the
   * read model through it so both commit together.
   */
  sql?: SqlExecutor;
}

/** The context of a stored event, with the projector's transaction when there is one. */
export function eventContextOf(recorded: RecordedEvent, sql?: SqlExecutor): EventContext {
  const { eventId, eventType, streamId, streamVersion, globalPosition, metadata, causationId, correlationId, createdAt } = recorded;
  return { eventId, eventType, streamId, streamVersion, globalPosition, metadata, causationId, correlationId, createdAt, sql };
}
