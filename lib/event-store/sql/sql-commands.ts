import type { CommandRecord } from '../command-record.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';

interface CommandRow {
  command_id: string;
  stream_id: string;
  command_type: string;
  payload_hash: string;
  first_version: number;
  last_version: number;
  global_position: string | number;
  created_at: Date;
}

/** The recorded commands among `commandIds`, in one statement. */
export async function readCommands(sql: SqlExecutor, schema: SqlSchema, commandIds: string[]): Promise<CommandRecord[]> {
  const { rows } = await sql.query<CommandRow>(`SELECT * FROM ${schema.quoted}.commands WHERE command_id = ANY($1::text[])`, [commandIds]);
  return rows.map((row) => ({
    commandId: row.command_id,
    streamId: row.stream_id,
    commandType: row.command_type,
    payloadHash: row.payload_hash,
    firstVersion: Number(row.first_version),
    lastVersion: Number(row.last_version),
    globalPosition: Number(row.global_position),
    createdAt: new Date(row.created_at),
  }));
}

/** Deletes commands recorded before `before`; concurrent prunes from several nodes simply share the work. */
export async function pruneCommands(sql: SqlExecutor, schema: SqlSchema, before: Date): Promise<number> {
  const { rows } = await sql.query<{ pruned: string | number }>(
    `WITH pruned AS (DELETE FROM ${schema.quoted}.commands WHERE created_at < $1::timestamptz RETURNING 1) SELECT count(*) AS pruned FROM pruned`,
    [before.toISOString()],
  );
  return Number(rows[0].pruned);
}
