/** JSON object as stored in the event store. */
export type JsonObject = Record<string, unknown>;

/** An event to append, already serialized. */
export interface NewEvent {
  /** Unique id (UUID); appending an id twice fails with `DuplicateEventError`. */
  eventId: string;
  /** Stable type name from `@DomainEvent`. */
  eventType: string;
  data: JsonObject;
  metadata?: JsonObject;
  causationId?: string;
  correlationId?: string;
}

/** An event as read back from the store. */
export interface RecordedEvent {
  eventId: string;
  eventType: string;
  data: JsonObject;
  metadata: JsonObject;
  causationId?: string;
  correlationId?: string;
  streamId: string;
  /** 1-based position of the event inside its stream. */
  streamVersion: number;
  /** 1-based position in the store-wide order every subscription reads in. */
  globalPosition: number;
  createdAt: Date;
}

/** Outcome of one append. */
export interface AppendResult {
  /** Stream version after the append. */
  streamVersion: number;
  /** Global position of the last appended event. */
  globalPosition: number;
  events: RecordedEvent[];
}

/** A stored aggregate or process-manager state. */
export interface Snapshot {
  streamId: string;
  /** Stream version the state includes. */
  streamVersion: number;
  /** Type name, e.g. the aggregate class name. */
  snapshotType: string;
  /** Shape version: a snapshot of another version is ignored. */
  snapshotVersion: number;
  data: JsonObject;
  createdAt?: Date;
}
