import { STREAM_DELETED_TYPE } from '../stream-removal.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { ListStreamsOptions, StreamPage } from '../stream-summary.js';
import type { SqlSchema } from './sql-schema.js';

interface StreamRow {
  stream_id: string;
  stream_version: number;
  global_position: string | number;
  created_at: Date | string;
  event_type: string;
}

/**
 * Lists streams without a streams table: a loose scan of the (stream_id, stream_version) key jumps
 * from one stream id to the next (one index probe per stream, however many events it holds), and
 * each stream's last row gives its version, position and time. Under a code-point collation
 * (C, POSIX, C.UTF-8) ids sharing a prefix are contiguous, so the scan stops at the first id past
 * them; under a linguistic collation they need not be, so it walks on until the page is full.
 */
export async function listStreams(sql: SqlExecutor, schema: SqlSchema, options: ListStreamsOptions): Promise<StreamPage> {
  const events = `${schema.quoted}.events`;
  const { rows } = await sql.query<StreamRow>(
    `WITH RECURSIVE code_point_order AS (
       SELECT datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8') AS yes FROM pg_database WHERE datname = current_database()
     ), ids AS (
       (SELECT stream_id FROM ${events} WHERE stream_id > $1 AND stream_id >= $2 ORDER BY stream_id LIMIT 1)
       UNION ALL
       SELECT (SELECT e.stream_id FROM ${events} AS e WHERE e.stream_id > ids.stream_id ORDER BY e.stream_id LIMIT 1)
         FROM ids WHERE ids.stream_id IS NOT NULL
          AND (starts_with(ids.stream_id, $2) OR NOT (SELECT yes FROM code_point_order))
     )
     SELECT ids.stream_id, last.stream_version, last.global_position, last.created_at, last.event_type
       FROM ids CROSS JOIN LATERAL (
         SELECT stream_version, global_position, created_at, event_type FROM ${events} AS e
          WHERE e.stream_id = ids.stream_id ORDER BY e.stream_version DESC LIMIT 1) AS last
      WHERE ids.stream_id IS NOT NULL AND starts_with(ids.stream_id, $2)
      LIMIT $3`,
    [options.after ?? '', options.prefix ?? '', options.limit + 1],
  );
  const streams = rows.slice(0, options.limit).map((row) => ({
    streamId: row.stream_id,
    version: Number(row.stream_version),
    lastPosition: Number(row.global_position),
    updatedAt: new Date(row.created_at),
    deleted: row.event_type === STREAM_DELETED_TYPE,
  }));
  return rows.length > options.limit ? { streams, next: streams[streams.length - 1].streamId } : { streams };
}
