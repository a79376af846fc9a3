import type { CommandToRecord } from '../command-record.js';
import type { AppendResult } from '../recorded-event.js';
import { type AppendBatch, appendError, appendEvents, appendResult } from './sql-append.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * Most appends per group: the committed subtransactions a PostgreSQL backend caches (see the
 * grouped append function, migration 10).
 */
export const MAX_GROUP = 64;

/** One append waiting for its group: a checked batch and the command recorded with it. */
export interface GroupedAppend {
  batch: AppendBatch;
  command?: CommandToRecord;
}

/** What became of one append of a group: its result, or the typed error that refused it alone. */
export type GroupedOutcome = { result: AppendResult } | { error: unknown };

interface GroupRow {
  item: number;
  versions: Array<number | string> | null;
  positions: Array<number | string> | null;
  appended_at: Date | null;
  failure_state: string | null;
  failure_constraint: string | null;
  failure_detail: string | null;
  failure_message: string | null;
}

/** The group's parameter: the checked JSON of each batch written in as it is, not serialized again. */
function groupJson(appends: GroupedAppend[]): string {
  const items = appends.map(({ batch, command }) => {
    const head = `{"stream":${JSON.stringify(batch.streamId)},"expected":${JSON.stringify(String(batch.expected))},"events":${batch.json}`;
    return command ? `${head},"command":${JSON.stringify(command)}}` : `${head}}`;
  });
  return `[${items.join(',')}]`;
}

/** The database's refusal of one append, shaped as the single append's error so it is translated alike. */
function failure(row: GroupRow): Error {
  return Object.assign(new Error(row.failure_message ?? 'append refused'), {
    code: row.failure_state ?? undefined,
    constraint: row.failure_constraint ?? undefined,
    detail: row.failure_detail ?? undefined,
  });
}

function outcome(append: GroupedAppend, row: GroupRow): GroupedOutcome {
  if (row.failure_state !== null || !row.versions || !row.positions) {
    return { error: appendError(failure(row), append.batch, { command: append.command }) };
  }
  const positions = row.positions;
  const at = row.appended_at!;
  const rows = row.versions.map((version, i) => ({ stream_version: Number(version), global_position: positions[i], created_at: at }));
  return { result: appendResult(append.batch, rows) };
}

/**
 * Appends to several streams in one statement: one round trip, one transaction, one commit for
 * all (group commit). Each append keeps its own expected version and command record, and a
 * refused one fails alone: the others commit. A group of one goes through the single append.
 * Never throws: a statement that failed as a whole (the connection, the server) committed none of
 * them, and each append gets that failure as its own, as if it had been sent alone; none is sent
 * again, since an answer lost after the commit would make a second try report a false duplicate.
 */
export async function appendGroup(sql: Pick<SqlDriver, 'prepared'>, schema: SqlSchema, appends: GroupedAppend[]): Promise<GroupedOutcome[]> {
  if (appends.length === 1) {
    const [{ batch, command }] = appends;
    return [await appendEvents(sql, schema, batch, { command }).then((result) => ({ result }), (error: unknown) => ({ error }))];
  }
  try {
    const { rows } = await sql.prepared<GroupRow>(
      `es_append_group_${schema.name}`,
      `SELECT * FROM ${schema.quoted}.append_event_groups($1::jsonb)`,
      [groupJson(appends)],
    );
    rows.sort((a, b) => a.item - b.item);
    return appends.map((append, i) => outcome(append, rows[i]));
  } catch (error) {
    return appends.map(({ batch, command }) => ({ error: appendError(error, batch, { command }) }));
  }
}
