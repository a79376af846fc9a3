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

/**
 * Groups in flight at once: while one waits for its commit to reach the disk, the next is already
 * executing, and a group held up by a stream another transaction has locked does not hold up every
 * append of the process. More flights split the waiting appends into smaller groups: each group
 * is a statement, and on 2 cores the statements, not the commits, set the pace (measurements:
 * docs/measurements.md, B1 and B7).
 */
export const APPEND_FLIGHTS = 2;

/** One append waiting for its group: a checked batch and the command recorded with it. */
export interface GroupedAppend {
  batch: AppendBatch;
  command?: CommandToRecord;
}

/** What became of one append of a group: its result, or the typed error that refused it alone. */
export type GroupedOutcome = { result: AppendResult } | { error: unknown };

/** One append's outcome in the group function's answer. */
interface GroupOutcomeRow {
  v?: number[];
  p?: number[];
  state?: string;
  constraint?: string | null;
  detail?: string | null;
  message?: string;
}

interface GroupRow {
  outcomes: GroupOutcomeRow[];
  appended_at: Date;
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
function failure({ state, constraint, detail, message }: GroupOutcomeRow): Error {
  return Object.assign(new Error(message ?? 'append refused'), { code: state, constraint: constraint ?? undefined, detail: detail ?? undefined });
}

function outcome(append: GroupedAppend, row: GroupOutcomeRow, at: Date): GroupedOutcome {
  const { v: versions, p: positions } = row;
  if (!versions || !positions) return { error: appendError(failure(row), append.batch, { command: append.command }) };
  const rows = versions.map((version, i) => ({ stream_version: version, global_position: positions[i], created_at: at }));
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
    return [
      await appendEvents(sql, schema, batch, { command }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    ];
  }
  try {
    const { rows } = await sql.prepared<GroupRow>(`es_append_group_${schema.name}`, `SELECT * FROM ${schema.quoted}.append_event_groups($1::jsonb)`, [
      groupJson(appends),
    ]);
    const [{ outcomes, appended_at: at }] = rows;
    return appends.map((append, i) => outcome(append, outcomes[i], at));
  } catch (error) {
    return appends.map(({ batch, command }) => ({ error: appendError(error, batch, { command }) }));
  }
}
