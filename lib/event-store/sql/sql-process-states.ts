import type { ProcessStateChange } from '../scheduled-commands.interface.js';
import type { StoreSql } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * True when `changes` can be written by {@link commitStates}: none schedules or cancels, and no
 * instance appears twice (one statement may not touch a row twice).
 */
export function statesOnly(changes: ProcessStateChange[]): boolean {
  const ids = new Set(changes.map((change) => change.stateStreamId));
  return ids.size === changes.length && changes.every((change) => change.schedule.length === 0 && change.cancel.length === 0);
}

/**
 * Writes many instances' states in one statement, so it commits on its own: saved states upsert,
 * ended ones are deleted with their pending scheduled commands. Only for {@link statesOnly} changes.
 */
export async function commitStates(sql: StoreSql, schema: SqlSchema, changes: ProcessStateChange[]): Promise<void> {
  const saved = changes.flatMap((change) => change.state ?? []);
  const ended = changes.filter((change) => !change.state);
  const s = schema.quoted;
  await sql.prepared(
    `es_states_${schema.name}`,
    `WITH saved AS (
       INSERT INTO ${s}.snapshots (stream_id, stream_version, snapshot_type, snapshot_version, data)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::integer[], $5::jsonb[])
       ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, snapshot_type = EXCLUDED.snapshot_type,
         snapshot_version = EXCLUDED.snapshot_version, data = EXCLUDED.data, created_at = now()
     ), ended AS (
       DELETE FROM ${s}.snapshots WHERE stream_id = ANY($6::text[])
     )
     DELETE FROM ${s}.scheduled_commands
      WHERE (process_manager, process_id) IN (SELECT * FROM unnest($7::text[], $8::text[]))`,
    [
      saved.map((state) => state.streamId),
      saved.map((state) => state.streamVersion),
      saved.map((state) => state.snapshotType),
      saved.map((state) => state.snapshotVersion),
      saved.map((state) => JSON.stringify(state.data)),
      ended.map((change) => change.stateStreamId),
      ended.map((change) => change.processManager),
      ended.map((change) => change.processId),
    ],
  );
}
