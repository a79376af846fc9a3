import type { Migration } from './migration.interface.js';
import { STREAM_DELETED_SQLSTATE, WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-states.js';
import { type AppendFunctionForm, createFunction, lastVersion, latestVersion, meetsTombstone } from './sql-append-functions.js';

/**
 * Group commit: the appends to several streams in one statement, one transaction, one commit.
 * `p_appends` is a JSON array of `{stream, expected, events, command?}`. One row comes back: the
 * transaction's time (every event's `created_at`) and, in the same order as the appends, each one's
 * outcome: `{v, p}` (its stream versions and global positions) or `{state, constraint, detail,
 * message}` (the error that refused it, as the single append would have raised it).
 *
 * Each append keeps version 2's semantics (version check, events, command record, all or nothing)
 * and a refused one fails alone. The common case goes as one set-based statement for the whole
 * group: appends with a wrong expected version are left out of it, the others written together.
 * When the group names a stream twice or a command id recorded before, or that statement fails
 * (an event id stored before, a command recorded meanwhile), the appends go one by one, each in its own subtransaction (the inner EXCEPTION block):
 * a refused one rolls back alone, its events and command together, and the others commit. Positions
 * drawn by what was undone stay gaps, which the all-stream reader skips once the group's
 * transaction has ended, as it skips a rolled-back single append.
 *
 * The all-stream reader's proof holds as for the single append: the transaction id is assigned
 * first, before the group draws any position. Subtransactions get ids of their own later, but they
 * commit with that transaction and never alone, and the reader's bound (`pg_snapshot_xmin` past its
 * fence) speaks of top-level ids: once it passes the group's id, every event the group committed is
 * visible. A bound read from who holds the events table holds too: every position that can still
 * commit was drawn inside an insert into that table, and a subtransaction that commits hands its
 * lock on the table to the transaction, which keeps it until it ends; one that rolls back releases
 * its lock, but what it drew is dead.
 *
 * Every stream's advisory lock (the single append's key, so the two paths exclude each other) is
 * taken before any append, in key order, so two groups on any nodes never wait on each other in a
 * cycle. Groups stay within 64 appends (see `sql-append-group.ts`): more committed subtransactions
 * than a backend caches would slow every snapshot taken while the group runs.
 */
export function appendGroupFunction(s: string, form: AppendFunctionForm = 10): string {
  const closed = form >= 11;
  const refusesDeleted = form >= 14;
  const deleted = (stream: string, expected: string, v: string) => (refusesDeleted ? meetsTombstone(s, stream, expected, v) : 'false');
  const versionOf = (stream: string) =>
    refusesDeleted ? latestVersion(s, stream) : `(SELECT ${lastVersion(s, stream, closed)} FROM ${s}.events AS e WHERE e.stream_id = ${stream})`;
  const versionMatches = (expected: string, v: string) =>
    `(${expected} = 'any' OR (${expected} = 'no_stream' AND ${v} = 0) OR (${expected} = 'stream_exists' AND ${v} > 0) OR ${expected} = ${v}::text)`;
  const eventColumns = 'global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id';
  const commandColumns = 'command_id, stream_id, command_type, payload_hash, first_version, last_version, global_position, created_at';
  const eventValues = (stream: string, v: string) =>
    `nextval('${s}.global_position_seq'), (y.ev->>'eventId')::uuid, ${stream}, ${v} + y.j::integer,
     y.ev->>'eventType', y.ev->'data', coalesce(y.ev->'metadata', '{}'), y.ev->>'causationId', y.ev->>'correlationId'`;
  return `${createFunction(form)} ${s}.append_event_groups(p_appends jsonb)
    RETURNS TABLE (outcomes jsonb, appended_at timestamptz)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      k integer;
      streams integer := 0;
      together boolean := false;
      a record;
      v integer;
      vs jsonb;
      ps jsonb;
      f_state text;
      f_constraint text;
      f_detail text;
      f_message text;
    BEGIN
      PERFORM pg_current_xact_id();
      FOR k IN SELECT DISTINCT hashtext(x.ap->>'stream') FROM jsonb_array_elements(p_appends) AS x(ap) ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtext('${s}.append_events'), k);
        streams := streams + 1;
      END LOOP;
      appended_at := now();
      -- Together only when nothing known now would undo it: no stream twice, no command id recorded
      -- or named twice. Positions drawn by an undone statement are gaps every reader waits at.
      SELECT streams = jsonb_array_length(p_appends) AND count(DISTINCT x.id) = count(x.id)
             AND NOT EXISTS (SELECT 1 FROM ${s}.commands AS c WHERE c.command_id = ANY (array_agg(x.id)))
        INTO together
        FROM (SELECT y.ap->'command'->>'commandId' AS id FROM jsonb_array_elements(p_appends) AS y(ap)) AS x;
      IF together THEN
        BEGIN
          WITH items AS MATERIALIZED (
            SELECT x.i, x.ap->>'stream' AS stream, x.ap->>'expected' AS expected, x.ap->'events' AS events, x.ap->'command' AS command,
                   ${versionOf("x.ap->>'stream'")} AS v
              FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS x(ap, i)
          ), judged AS MATERIALIZED (
            SELECT c.*, ${versionMatches('c.expected', 'c.v')} AS matches, ${deleted('c.stream', 'c.expected', 'c.v')} AS deleted FROM items AS c
          ), checked AS MATERIALIZED (
            SELECT c.*, c.matches AND NOT c.deleted AS ok FROM judged AS c
          ), appended AS (
            INSERT INTO ${s}.events AS e (${eventColumns})
            SELECT ${eventValues('c.stream', 'c.v')}
              FROM checked AS c, jsonb_array_elements(c.events) WITH ORDINALITY AS y(ev, j)
             WHERE c.ok
            RETURNING e.stream_id, e.stream_version, e.global_position, e.created_at
          ), per_stream AS (
            SELECT r.stream_id, jsonb_agg(r.stream_version ORDER BY r.stream_version) AS vs, jsonb_agg(r.global_position ORDER BY r.stream_version) AS ps,
                   max(r.stream_version) AS last_version, max(r.global_position) AS last_position, max(r.created_at) AS at
              FROM appended AS r GROUP BY r.stream_id
          ), recorded AS (
            INSERT INTO ${s}.commands (${commandColumns})
            SELECT c.command->>'commandId', c.stream, c.command->>'commandType', c.command->>'payloadHash', c.v + 1, p.last_version, p.last_position, p.at
              FROM checked AS c JOIN per_stream AS p ON p.stream_id = c.stream
             WHERE c.command IS NOT NULL
          )
          SELECT jsonb_agg(CASE WHEN c.ok THEN jsonb_build_object('v', p.vs, 'p', p.ps)
                                WHEN c.matches THEN jsonb_build_object('state', '${STREAM_DELETED_SQLSTATE}', 'detail', c.v::text, 'message', 'stream deleted')
                                ELSE jsonb_build_object('state', '${WRONG_EXPECTED_VERSION_SQLSTATE}', 'detail', c.v::text, 'message', 'wrong expected version') END
                           ORDER BY c.i)
            INTO outcomes
            FROM checked AS c LEFT JOIN per_stream AS p ON p.stream_id = c.stream;
        EXCEPTION WHEN OTHERS THEN
          together := false;
        END;
      END IF;
      IF NOT together THEN
        outcomes := '[]';
        FOR a IN SELECT x.ap->>'stream' AS stream, x.ap->>'expected' AS expected, x.ap->'events' AS events, x.ap->'command' AS command
                   FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS x(ap, i) ORDER BY x.i LOOP
          BEGIN
            v := ${versionOf('a.stream')};
            IF NOT ${versionMatches('a.expected', 'v')} THEN
              RAISE EXCEPTION 'wrong expected version' USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}', DETAIL = v::text;
            END IF;
            IF ${deleted('a.stream', 'a.expected', 'v')} THEN
              RAISE EXCEPTION 'stream deleted' USING ERRCODE = '${STREAM_DELETED_SQLSTATE}', DETAIL = v::text;
            END IF;
            WITH appended AS (
              INSERT INTO ${s}.events AS e (${eventColumns})
              SELECT ${eventValues('a.stream', 'v')}
                FROM jsonb_array_elements(a.events) WITH ORDINALITY AS y(ev, j)
              RETURNING e.stream_version, e.global_position, e.created_at
            ), recorded AS (
              INSERT INTO ${s}.commands (${commandColumns})
              SELECT a.command->>'commandId', a.stream, a.command->>'commandType', a.command->>'payloadHash',
                     v + 1, max(r.stream_version), max(r.global_position), max(r.created_at)
                FROM appended AS r
               WHERE a.command IS NOT NULL
              HAVING count(*) > 0
            )
            SELECT jsonb_agg(r.stream_version ORDER BY r.stream_version), jsonb_agg(r.global_position ORDER BY r.stream_version)
              INTO vs, ps
              FROM appended AS r;
            outcomes := outcomes || jsonb_build_array(jsonb_build_object('v', vs, 'p', ps));
          EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS f_state = RETURNED_SQLSTATE, f_constraint = CONSTRAINT_NAME, f_detail = PG_EXCEPTION_DETAIL, f_message = MESSAGE_TEXT;
            outcomes := outcomes || jsonb_build_array(jsonb_build_object('state', f_state, 'constraint', f_constraint, 'detail', f_detail, 'message', f_message));
          END;
        END LOOP;
      END IF;
      RETURN NEXT;
    END $$`;
}

/** The grouped append function (version 10); the single append functions stay as they are. */
export const groupedAppendMigration: Migration = {
  version: 10,
  name: 'grouped appends',
  statements: ({ quoted: s }) => [appendGroupFunction(s)],
};
