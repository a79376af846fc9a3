import type { RecordedEvent, Snapshot } from '../recorded-event.js';

/** Columns selected wherever events are read. */
export const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id, created_at';

/** An events row as the drivers return it (`pg` gives bigint as text, PGlite as number). */
export interface EventRow {
  global_position: string | number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  causation_id: string | null;
  correlation_id: string | null;
  created_at: Date;
}

/** Maps a row to the event the port returns; absent ids stay absent rather than null. */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  // Keys added one by one (fast in V8, unlike spreads followed by more keys), in the port's order.
  const event = { eventId: row.event_id, eventType: row.event_type, data: row.data, metadata: row.metadata } as RecordedEvent;
  if (row.causation_id !== null) event.causationId = row.causation_id;
  if (row.correlation_id !== null) event.correlationId = row.correlation_id;
  event.streamId = row.stream_id;
  event.streamVersion = Number(row.stream_version);
  event.globalPosition = Number(row.global_position);
  event.createdAt = new Date(row.created_at);
  return event;
}

/** A snapshots row. */
export interface SnapshotRow {
  stream_id: string;
  stream_version: number;
  snapshot_type: string;
  snapshot_version: number;
  data: Record<string, unknown>;
  created_at: Date;
}

export function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    snapshotType: row.snapshot_type,
    snapshotVersion: Number(row.snapshot_version),
    data: row.data,
    createdAt: new Date(row.created_at),
  };
}
