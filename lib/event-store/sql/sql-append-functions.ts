import { STREAM_DELETED_TYPE } from '../stream-removal.js';
import { STREAM_DELETED_SQLSTATE, WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-states.js';

/**
 * Which migration's form of an append function to write: the form it was created in (1, or 10 for
 * the grouped append), 11 (a stream's version survives closing the books) or 14 (an append that
 * does not name the exact version of a deleted stream is refused). Each migration keeps writing its
 * own form, so a store migrated step by step ends as one created at the last version.
 */
export type AppendFunctionForm = 1 | 10 | 11 | 14;

/** `CREATE FUNCTION` for the first form, `CREATE OR REPLACE` for the later ones. */
export const createFunction = (form: AppendFunctionForm): string => (form > 10 ? 'CREATE OR REPLACE FUNCTION' : 'CREATE FUNCTION');

/**
 * True (in SQL) when an append of `expected` meets the tombstone of a deleted stream at version `v`.
 * Only `any` and `stream_exists` can: `no_stream` fails the version check anyway, and an append at
 * the tombstone's exact version comes from code that read the stream up to it, so it knows it was
 * deleted and re-creates it (as an aggregate declared with `onDeleted: 'recreate'` does). The probe
 * runs only for those two expectations, so appends of commands, which name a version, pay nothing.
 */
export function meetsTombstone(s: string, stream: string, expected: string, v: string): string {
  return `(${expected} IN ('any', 'stream_exists') AND ${v} > 0 AND EXISTS (
            SELECT 1 FROM ${s}.events AS d WHERE d.stream_id = ${stream} AND d.stream_version = ${v} AND d.event_type = '${STREAM_DELETED_TYPE}'))`;
}

/**
 * A stream's version as an append function reads it (`e` ranging over its events): its highest
 * stored version. From migration 11 on (`closed`), a stream whose events were all archived by
 * closing the books has none left, and keeps the version recorded for it then: its aggregate loads
 * from its snapshot and appends on at the next version.
 */
export function lastVersion(s: string, stream: string, closed: boolean): string {
  const none = closed ? `(SELECT c.stream_version FROM ${s}.closed_streams AS c WHERE c.stream_id = ${stream}), 0` : '0';
  return `coalesce(max(e.stream_version), ${none})`;
}

/**
 * A stream's version as a scalar, as the append functions read it from migration 14 on: its last
 * event, found by walking the (stream_id, stream_version) key backward from the end, so it costs
 * one index entry however long the stream. `max()` over the stream (see {@link lastVersion}) let a
 * generic plan, chosen from statistics saying streams are short, read every entry of the stream: a
 * stream of 10,000 events in a store of one-event streams read 10,000 rows and 72 buffers on each
 * append, against 1 row and 4 buffers.
 */
export function latestVersion(s: string, stream: string): string {
  return `coalesce((SELECT e.stream_version FROM ${s}.events AS e WHERE e.stream_id = ${stream} ORDER BY e.stream_version DESC LIMIT 1),
                   (SELECT c.stream_version FROM ${s}.closed_streams AS c WHERE c.stream_id = ${stream}), 0)`;
}

/**
 * The start of both append functions' bodies: the transaction id first, then the stream's lock,
 * its version read under it into `v`, and the expected-version check against that.
 */
function lockedVersionCheck(s: string, form: AppendFunctionForm): string {
  const deletedCheck = `
      IF ${meetsTombstone(s, 'p_stream', 'p_expected', 'v')} THEN
        RAISE EXCEPTION 'stream deleted' USING ERRCODE = '${STREAM_DELETED_SQLSTATE}', DETAIL = v::text;
      END IF;`;
  return `      PERFORM pg_current_xact_id();
      PERFORM pg_advisory_xact_lock(hashtext('${s}.append_events'), hashtext(p_stream));
      ${form >= 14 ? `v := ${latestVersion(s, 'p_stream')};` : `SELECT ${lastVersion(s, 'p_stream', form >= 11)} INTO v FROM ${s}.events AS e WHERE e.stream_id = p_stream;`}
      IF NOT (p_expected = 'any'
              OR (p_expected = 'no_stream' AND v = 0)
              OR (p_expected = 'stream_exists' AND v > 0)
              OR p_expected = v::text) THEN
        RAISE EXCEPTION 'wrong expected version' USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}', DETAIL = v::text;
      END IF;${form >= 14 ? deletedCheck : ''}`;
}

/**
 * One append in one statement. The transaction id is assigned first, before any global position
 * is drawn: SqlAllStreamReader's proof that a gap is final depends on it. A transaction-scoped
 * advisory lock on the stream then serializes appends to that stream (and only to it), so the
 * version read next is the stream's end until commit and the expected-version check cannot race;
 * the unique (stream_id, stream_version) key stays as the backstop. Nothing but the events is
 * written: no counter row to update, so an append costs one row per event.
 */
export function appendFunction(s: string, form: AppendFunctionForm = 1): string {
  return `${createFunction(form)} ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
    RETURNS TABLE (stream_version integer, global_position bigint, created_at timestamptz)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v integer;
    BEGIN
${lockedVersionCheck(s, form)}
      RETURN QUERY
        INSERT INTO ${s}.events AS e (global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id)
        SELECT nextval('${s}.global_position_seq'), (x.ev->>'eventId')::uuid, p_stream, v + x.i::integer,
               x.ev->>'eventType', x.ev->'data', coalesce(x.ev->'metadata', '{}'), x.ev->>'causationId', x.ev->>'correlationId'
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, i)
        RETURNING e.stream_version, e.global_position, e.created_at;
    END $$`;
}

/**
 * The append of version 1 plus the command that produced the events, recorded by the same
 * statement: both commit or neither does. Everything said of version 1 holds (transaction id
 * first, per-stream advisory lock, one round trip). A command id recorded before, or being
 * recorded by a concurrent transaction, fails the statement on the commands_pkey unique key once
 * that transaction commits, so a command can never have two sets of events. A null p_command
 * records nothing. Version 1's function stays for nodes not yet upgraded.
 */
export function appendWithCommandFunction(s: string, form: AppendFunctionForm = 1): string {
  return `${createFunction(form)} ${s}.append_events(p_stream text, p_expected text, p_events jsonb, p_command jsonb)
    RETURNS TABLE (stream_version integer, global_position bigint, created_at timestamptz)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v integer;
    BEGIN
${lockedVersionCheck(s, form)}
      RETURN QUERY
        WITH appended AS (
          INSERT INTO ${s}.events AS e (global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id)
          SELECT nextval('${s}.global_position_seq'), (x.ev->>'eventId')::uuid, p_stream, v + x.i::integer,
                 x.ev->>'eventType', x.ev->'data', coalesce(x.ev->'metadata', '{}'), x.ev->>'causationId', x.ev->>'correlationId'
            FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, i)
          RETURNING e.stream_version, e.global_position, e.created_at
        ), recorded AS (
          INSERT INTO ${s}.commands (command_id, stream_id, command_type, payload_hash, first_version, last_version, global_position, created_at)
          SELECT p_command->>'commandId', p_stream, p_command->>'commandType', p_command->>'payloadHash',
                 v + 1, max(a.stream_version), max(a.global_position), max(a.created_at)
            FROM appended AS a
           WHERE p_command IS NOT NULL
          HAVING count(*) > 0
        )
        SELECT a.stream_version, a.global_position, a.created_at FROM appended AS a;
    END $$`;
}
