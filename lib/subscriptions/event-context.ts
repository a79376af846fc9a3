import type { SqlExecutor } from '../event-store/event-store.interface.js';
import type { JsonObject } from '../event-store/recorded-event.js';

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
