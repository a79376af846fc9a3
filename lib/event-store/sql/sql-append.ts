import type { AppendOptions } from '../command-record.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { ExpectedVersion } from '../expected-version.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../recorded-event.js';
import { translateAppendError } from './sql-append-error.js';
import type { SqlSchema } from './sql-schema.js';

interface AppendedRow {
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

/**
 * Appends a checked, non-empty batch in one statement (one round trip, one transaction) through
 * the schema's append function, recording `options.command` with it; refusals come back as typed
 * errors. The recorded events share their data with the caller's input: the stored copy is in the database.
 */
export async function appendEvents(
  sql: Pick<SqlDriver, 'prepared'>,
  schema: SqlSchema,
  { streamId, expected, events, json }: AppendBatch,
  options?: AppendOptions,
): Promise<AppendResult> {
  let rows: AppendedRow[];
  const command = options?.command;
  try {
    ({ rows } = await sql.prepared<AppendedRow>(`es_append_${schema.name}`, `SELECT * FROM ${schema.quoted}.append_events($1, $2, $3, $4::jsonb)`, [
      streamId,
      String(expected),
      json,
      command ? JSON.stringify(command) : null,
    ]));
  } catch (error) {
    throw translateAppendError(error, streamId, expected, events, command?.commandId);
  }
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
