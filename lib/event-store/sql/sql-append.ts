import type { AppendOptions, CommandToRecord } from '../command-record.js';
import type { SqlDriver, SqlStatement } from './sql-driver.interface.js';
import type { ExpectedVersion } from '../expected-version.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../recorded-event.js';
import { translateAppendError } from './sql-append-error.js';
import type { SqlSchema } from './sql-schema.js';

/** A row returned by the append function, one per event. */
export interface AppendedRow {
  stream_version: number;
  global_position: string | number;
  created_at: Date;
}

/** A checked, non-empty batch for one stream, with its JSON text (from `assertAppendInput`). */
export interface AppendBatch {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
  json: string;
}

/** The append of `batch` through the schema's append function, recording `command` with it. */
export function appendStatement(schema: SqlSchema, { streamId, expected, json }: AppendBatch, command?: CommandToRecord): SqlStatement {
  return {
    name: `es_append_${schema.name}`,
    text: `SELECT * FROM ${schema.quoted}.append_events($1, $2, $3, $4::jsonb)`,
    params: [streamId, String(expected), json, command ? JSON.stringify(command) : null],
  };
}

/**
 * Appends a checked, non-empty batch in one statement (one round trip, one transaction) through
 * the schema's append function, recording `options.command` with it; refusals come back as typed
 * errors.
 */
export async function appendEvents(
  sql: Pick<SqlDriver, 'prepared'>,
  schema: SqlSchema,
  batch: AppendBatch,
  options?: AppendOptions,
): Promise<AppendResult> {
  const { name, text, params } = appendStatement(schema, batch, options?.command);
  let rows: AppendedRow[];
  try {
    ({ rows } = await sql.prepared<AppendedRow>(name, text, params));
  } catch (error) {
    throw appendError(error, batch, options);
  }
  return appendResult(batch, rows);
}

/** The typed error for a refused append (see translateAppendError). */
export function appendError(error: unknown, { streamId, expected, events }: AppendBatch, options?: AppendOptions): unknown {
  return translateAppendError(error, streamId, expected, events, options?.command?.commandId);
}

/**
 * The batch as recorded, from the append function's rows. The recorded events share their data
 * with the caller's input: the stored copy is in the database.
 */
export function appendResult({ streamId, events }: AppendBatch, rows: AppendedRow[]): AppendResult {
  rows.sort((a, b) => a.stream_version - b.stream_version);
  const recorded = events.map((event, i): RecordedEvent =>
    Object.assign({ metadata: {} }, event, {
      streamId,
      streamVersion: Number(rows[i].stream_version),
      globalPosition: Number(rows[i].global_position),
      createdAt: new Date(rows[i].created_at),
    }),
  );
  const last = recorded[recorded.length - 1];
  return { streamVersion: last.streamVersion, globalPosition: last.globalPosition, events: recorded };
}
