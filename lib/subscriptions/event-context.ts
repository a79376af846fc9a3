import type { DispatchOptions } from '../decorators/dispatch-options.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { JsonObject, RecordedEvent } from '../event-store/recorded-event.js';
import { ConfigurationError } from '../errors/configuration.error.js';

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
   * The tenant whose store holds the event (what its command's engine wrote in `metadata.tenant`),
   * when the module serves tenants; a handler writes its read model for that tenant.
   */
  tenant?: string;
  /**
   * True when the subscription had already handled this event before it was reset: the event lies
   * after where the last reset moved the checkpoint and at or before the furthest position reached
   * before any reset (kept in the store, so a restart in the middle of a rebuild still knows). A
   * projector rebuilds as usual; code with outside effects skips it (see `@SkipReplay`). Always
   * false in inline projections and for a subscription never reset.
   */
  replaying: boolean;
  /**
   * For projectors on SQL stores: the transaction that also moves the checkpoint. Write the
   * read model through it so both commit together.
   */
  sql?: SqlExecutor;
  /**
   * Dispatches a command on behalf of this handler, like `CommandGateway.dispatch`, except that:
   * its consistency wait leaves this handler out (it cannot pass this event before the command
   * returns, so a strong handler may dispatch strongly); its id, unless `options.commandId` is
   * given, is derived from this handler's name, this event and the command's ordinal among the
   * commands dispatched while handling it, so a retried handler sends the same ids and each
   * command takes effect once; its causation and correlation ids come from this event.
   */
  dispatch<R = unknown>(command: object, options?: DispatchOptions): Promise<R>;
}

/** An {@link EventContext} without `dispatch` and `replaying`: what every delivery knows of a stored event. */
export type StoredEventContext = Omit<EventContext, 'dispatch' | 'replaying'>;

/** The context of a stored event, with the projector's transaction when there is one. */
export function storedEventContextOf(recorded: RecordedEvent, sql?: SqlExecutor): StoredEventContext {
  const { eventId, eventType, streamId, streamVersion, globalPosition, metadata, causationId, correlationId, createdAt } = recorded;
  const tenant = tenantOf(metadata);
  return { eventId, eventType, streamId, streamVersion, globalPosition, metadata, causationId, correlationId, createdAt, tenant, sql };
}

/** The context of a stored event; `dispatch` is the handler's, or refuses when there is none (an inline projection). */
export function eventContextOf(
  recorded: RecordedEvent,
  sql?: SqlExecutor,
  dispatch: EventContext['dispatch'] = cannotDispatch,
  replaying = false,
): EventContext {
  // One literal, not the stored context spread into another: that copy takes V8's slow path, about
  // 1 µs, once per event delivered.
  const { eventId, eventType, streamId, streamVersion, globalPosition, metadata, causationId, correlationId, createdAt } = recorded;
  const tenant = tenantOf(metadata);
  return {
    eventId,
    eventType,
    streamId,
    streamVersion,
    globalPosition,
    metadata,
    causationId,
    correlationId,
    createdAt,
    tenant,
    replaying,
    sql,
    dispatch,
  };
}

const tenantOf = (metadata: JsonObject): string | undefined => (typeof metadata.tenant === 'string' ? metadata.tenant : undefined);

function cannotDispatch(): Promise<never> {
  return Promise.reject(
    new ConfigurationError(
      "context.dispatch works in the @On/@OnBatch methods its subscription runs; here (an inline projection, which runs inside the command's append, an onError hook, or a handler run without an application) there is no command gateway to dispatch through: dispatch from an event handler",
    ),
  );
}
