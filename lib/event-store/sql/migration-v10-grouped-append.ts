import type { Migration } from './migration.interface.js';
import { WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-states.js';

/**
 * Group commit: the appends to several streams in one statement, one transaction, one commit.
 * `p_appends` is a JSON array of `{stream, expected, events, command?}`; one row comes back per
 * append, in the same order, with its stream versions and global positions, or with the error
 * that refused it (SQLSTATE, constraint, detail, message as the single append would have raised).
 *
 * Each append runs in its own subtransaction (the EXCEPTION block) with version 2's body: version
 * check, events, command record. A refused one rolls back alone, events and command together, and
 * the others commit; its drawn positions stay a gap that the all-stream reader skips once the
 * group's transaction has ended, as it skips a rolled-back single append.
 *
 * The all-stream reader's proof holds as for the single append: the transaction id is assigned
 * first, before any append of the group draws a position. The subtransactions' own ids come later,
 * but they commit with that transaction and nothing else does: the reader's bound, `pg_snapshot_xmin`
 * past its fence, speaks of top-level ids, so once it passes the group's id every event the group
 * committed is visible.
 *
 * Every stream's advisory lock (the key of the single append, so both paths exclude each other) is
 * taken before any append, in key order: two groups on any nodes never wait on each other in a
 * cycle. Groups stay under 64 appends (see `sql-append-group.ts`): more committed subtransactions
 * than a backend caches would slow every snapshot taken while the group runs.
 */
function appendGroupFunction(s: string): string {
  return `CREATE FUNCTION ${s}.append_event_groups(p_appends jsonb)
    RETURNS TABLE (item integer, versions integer[], positions bigint[], appended_at timestamptz,
                   failure_state text, failure_constraint text, failure_detail text, failure_message text)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      k integer;
      a record;
      v integer;
    BEGIN
      PERFORM pg_current_xact_id();
      FOR k IN SELECT DISTINCT hashtext(x.ap->>'stream') FROM jsonb_array_elements(p_appends) AS x(ap) ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtext('${s}.append_events'), k);
      END LOOP;
      FOR a IN SELECT x.i::integer AS i, x.ap->>'stream' AS stream, x.ap->>'expected' AS expected, x.ap->'events' AS events, x.ap->'command' AS command
                 FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS x(ap, i) ORDER BY x.i LOOP
        item := a.i;
        versions := NULL; positions := NULL; appended_at := NULL;
        failure_state := NULL; failure_constraint := NULL; failure_detail := NULL; failure_message := NULL;
        BEGIN
          SELECT coalesce(max(e.stream_version), 0) INTO v FROM ${s}.events AS e WHERE e.stream_id = a.stream;
          IF NOT (a.expected = 'any'
                  OR (a.expected = 'no_stream' AND v = 0)
                  OR (a.expected = 'stream_exists' AND v > 0)
                  OR a.expected = v::text) THEN
            RAISE EXCEPTION 'wrong expected version' USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}', DETAIL = v::text;
          END IF;
          WITH appended AS (
            INSERT INTO ${s}.events AS e (global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id)
            SELECT nextval('${s}.global_position_seq'), (x.ev->>'eventId')::uuid, a.stream, v + x.i::integer,
                   x.ev->>'eventType', x.ev->'data', coalesce(x.ev->'metadata', '{}'), x.ev->>'causationId', x.ev->>'correlationId'
              FROM jsonb_array_elements(a.events) WITH ORDINALITY AS x(ev, i)
            RETURNING e.stream_version, e.global_position, e.created_at
          ), recorded AS (
            INSERT INTO ${s}.commands (command_id, stream_id, command_type, payload_hash, first_version, last_version, global_position, created_at)
            SELECT a.command->>'commandId', a.stream, a.command->>'commandType', a.command->>'payloadHash',
                   v + 1, max(r.stream_version), max(r.global_position), max(r.created_at)
              FROM appended AS r
             WHERE a.command IS NOT NULL
            HAVING count(*) > 0
          )
          SELECT array_agg(r.stream_version ORDER BY r.stream_version), array_agg(r.global_position ORDER BY r.stream_version), max(r.created_at)
            INTO versions, positions, appended_at
            FROM appended AS r;
        EXCEPTION WHEN OTHERS THEN
          versions := NULL; positions := NULL; appended_at := NULL;
          GET STACKED DIAGNOSTICS failure_state = RETURNED_SQLSTATE, failure_constraint = CONSTRAINT_NAME,
                                  failure_detail = PG_EXCEPTION_DETAIL, failure_message = MESSAGE_TEXT;
        END;
        RETURN NEXT;
      END LOOP;
    END $$`;
}

/** The grouped append function (version 10); the single append functions stay as they are. */
export const groupedAppendMigration: Migration = {
  version: 10,
  name: 'grouped appends',
  statements: ({ quoted: s }) => [appendGroupFunction(s)],
};
