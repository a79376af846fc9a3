import { withClient } from './postgres-schema.js';

/** One row of `<schema>.events`, as the store wrote it. */
export interface EventRow {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  eventType: string;
  data: Record<string, any>;
  metadata: Record<string, any>;
}

/** Every event of a test schema in global order, read with plain SQL (not through the library). */
export function readEventRows(schema: string): Promise<EventRow[]> {
  return withClient(async (client) => {
    const { rows } = await client.query(
      `SELECT global_position, event_id, stream_id, stream_version, event_type, data, metadata
         FROM "${schema}".events ORDER BY global_position`,
    );
    return rows.map((row) => ({
      globalPosition: Number(row.global_position),
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      eventType: row.event_type,
      data: row.data,
      metadata: row.metadata,
    }));
  });
}
