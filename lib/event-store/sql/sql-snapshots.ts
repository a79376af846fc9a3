import type { Snapshot } from '../recorded-event.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';
import { type SnapshotRow, toSnapshot } from './sql-event-rows.js';

/** Saves a snapshot over any earlier one of its stream. */
export async function upsertSnapshot(sql: SqlExecutor, schema: SqlSchema, snapshot: Snapshot): Promise<void> {
  await sql.query(
    `INSERT INTO ${schema.quoted}.snapshots (stream_id, stream_version, snapshot_type, snapshot_version, data)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (stream_id) DO UPDATE SET stream_version = $2, snapshot_type = $3, snapshot_version = $4, data = $5, created_at = now()`,
    [snapshot.streamId, snapshot.streamVersion, snapshot.snapshotType, snapshot.snapshotVersion, JSON.stringify(snapshot.data)],
  );
}

/** Deletes the snapshot of a stream, if any. */
export async function deleteSnapshot(sql: SqlExecutor, schema: SqlSchema, streamId: string): Promise<void> {
  await sql.query(`DELETE FROM ${schema.quoted}.snapshots WHERE stream_id = $1`, [streamId]);
}

/** The snapshots of `streamIds` that exist, in one statement. */
export async function readSnapshots(sql: SqlExecutor, schema: SqlSchema, streamIds: string[]): Promise<Snapshot[]> {
  const { rows } = await sql.query<SnapshotRow>(`SELECT * FROM ${schema.quoted}.snapshots WHERE stream_id = ANY($1::text[])`, [streamIds]);
  return rows.map(toSnapshot);
}
