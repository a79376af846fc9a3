import type { ProgressWrite, StoredProgress } from '../progress-write.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { StoreSql } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';
import { progressOf, REPLAY_COLUMNS, type ReplayColumns } from './sql-replay-windows.js';

/** Longest error message kept with a parked event; the rest is in the logs. */
const MAX_ERROR_LENGTH = 2000;

/** An error message PostgreSQL can keep as text: bounded, without NULs or lone surrogates. */
export const storableMessage = (message: string): string =>
  message
    .slice(0, MAX_ERROR_LENGTH)
    .replaceAll('\u0000', '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/**
 * Applies `write` for subscription `name` if `epoch` still owns it, in ONE statement: the fence
 * (the row update) and the parked-event changes commit together or not at all. The checkpoint only
 * moves forward; finished positions are merged with the stored ones (another transaction of the
 * same owner may have added some meanwhile) and those at or below the checkpoint are dropped.
 * Returns false when the fence refused it.
 */
export async function writeProgress(sql: StoreSql, schema: SqlSchema, name: string, epoch: number, write: ProgressWrite): Promise<boolean> {
  const s = schema.quoted;
  const fence = `UPDATE ${s}.subscriptions SET position = GREATEST(position, $3),
         finished = ARRAY(SELECT DISTINCT p FROM unnest(finished || $4::bigint[]) AS p WHERE p > GREATEST(position, $3) ORDER BY p),
         updated_at = now()
        WHERE name = $1 AND epoch = $2 RETURNING name`;
  // The common write (no parked event changes) stays one plain UPDATE: cheaper, on PGlite above all.
  if (!write.park?.length && !write.unpark?.length) {
    return (await sql.prepared(`es_progress_${schema.name}`, fence, [name, epoch, write.checkpoint, write.finished ?? []])).rows.length > 0;
  }
  const park = (write.park ?? []).map((entry) => ({ ...entry, error: entry.error === undefined ? null : storableMessage(entry.error) }));
  const { rows } = await sql.query(
    `WITH fence AS (${fence}), parked AS (
       INSERT INTO ${s}.parked_events AS pe (subscription, global_position, event_id, stream_id, stream_version, event_type, error, attempts)
       SELECT $1, x."globalPosition", x."eventId", x."streamId", x."streamVersion", x."eventType", x.error, x.attempts
         FROM jsonb_to_recordset($5::jsonb) AS x("globalPosition" bigint, "eventId" uuid, "streamId" text, "streamVersion" integer, "eventType" text, error text, attempts integer)
        WHERE EXISTS (SELECT 1 FROM fence)
       ON CONFLICT (subscription, global_position) DO UPDATE
         SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, retry_requested = false
     ), unparked AS (
       DELETE FROM ${s}.parked_events WHERE subscription = $1 AND global_position = ANY($6::bigint[]) AND EXISTS (SELECT 1 FROM fence)
     )
     SELECT name FROM fence`,
    [name, epoch, write.checkpoint, write.finished ?? [], JSON.stringify(park), write.unpark ?? []],
  );
  return rows.length > 0;
}

/** The checkpoint, the finished positions above it, and the replay window of the last reset. */
export async function readProgress(sql: SqlExecutor, schema: SqlSchema, name: string): Promise<StoredProgress> {
  const { rows } = await sql.query<{ position: string; finished: Array<string | number> } & ReplayColumns>(
    `SELECT position, finished, ${REPLAY_COLUMNS} FROM ${schema.quoted}.subscriptions WHERE name = $1`,
    [name],
  );
  return rows[0] ? progressOf(rows[0]) : { checkpoint: 0, finished: [] };
}
