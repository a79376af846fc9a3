import type { Migration } from './migration.interface.js';
import { IMMUTABLE_EVENT_SQLSTATE } from './sql-states.js';

/** The transaction-local setting that lets the immutability trigger pass one stream's DELETE. */
export const REMOVAL_SETTING = 'es.removing_events';

/**
 * The only way rows leave `events`: `remove_stream_events(stream, before)` deletes the stream's
 * events with a version below `before` (a hard delete or a truncation, `sql-event-removal.ts`).
 *
 * The triggers of version 1 stay; the row trigger's function now lets a DELETE through when, and
 * only when, the transaction-local setting {@link REMOVAL_SETTING} names this schema and the row's
 * own stream, which only this function sets (and clears before it returns). UPDATE and TRUNCATE
 * are refused as before. This guards against accidents: a hand-written `DELETE FROM events`, a
 * migration or a tool that touches the table, an ORM's cascade. It is NOT a security boundary:
 * whoever may run SQL as the table's owner or a superuser can set the setting, drop the trigger or
 * disable it; keep such roles away from applications (see docs/erasure-and-retention.md).
 *
 * The function never removes a stream's last event (the caller refuses `before` above the
 * stream's version, and a hard delete removes what lies before the tombstone), so:
 * - the stream's version stays reserved: `max(stream_version)`, which every append reads, is unchanged;
 * - the global head (`max(global_position)`) is unchanged, since the stream's last event lies above
 *   every event removed from it;
 * - removed positions are permanent holes: positions come from a sequence and are never drawn again.
 *
 * Why the all-stream readers (`sql-all-stream-reader.ts`, `sql-filtered-reader.ts`) neither wait on
 * a hole nor skip a live event because of it. A hole left by a removal is a position whose row was
 * committed and is now deleted. A reader whose snapshot predates the removal's commit still sees
 * the rows and delivers them as committed events (they were). One whose snapshot follows it sees a
 * gap: it takes a fence at the highest visible position, and the fence becomes final once every
 * transaction older than the fence's id has ended. The removing transaction has ended (its effect
 * is visible), and the appends that drew the removed positions ended long before; so the fence
 * waits only on what it would have waited on without the removal, and is never stuck on the hole.
 * A live event is never skipped: the proof that a gap is final speaks of positions drawn by
 * transactions that have ended, whatever made the gap, and the removal writes no position at all.
 * The stream's advisory lock (the append's key) is held while the rows go, so an append to the same
 * stream waits and then reads the unchanged end.
 */
function removalFunction(s: string, schemaName: string): string {
  return `CREATE FUNCTION ${s}.remove_stream_events(p_stream text, p_before integer)
    RETURNS TABLE (removed integer, first_version integer, last_version integer)
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('${s}.append_events'), hashtext(p_stream));
      PERFORM set_config('${REMOVAL_SETTING}', jsonb_build_array('${schemaName}', p_stream)::text, true);
      RETURN QUERY
        WITH gone AS (
          DELETE FROM ${s}.events AS e WHERE e.stream_id = p_stream AND e.stream_version < p_before RETURNING e.stream_version
        )
        SELECT count(*)::integer, min(g.stream_version), max(g.stream_version) FROM gone AS g;
      PERFORM set_config('${REMOVAL_SETTING}', '', true);
    END $$`;
}

function guardedTriggerFunction(s: string): string {
  return `CREATE OR REPLACE FUNCTION ${s}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW' THEN
         IF current_setting('${REMOVAL_SETTING}', true) = jsonb_build_array(TG_TABLE_SCHEMA, OLD.stream_id)::text THEN
           RETURN OLD;
         END IF;
       END IF;
       RAISE EXCEPTION 'stored events are immutable: % on %.events refused', TG_OP, TG_TABLE_SCHEMA
         USING ERRCODE = '${IMMUTABLE_EVENT_SQLSTATE}';
     END $$`;
}

/** Hard deletes and truncations through the library's own function (version 13). */
export const eventRemovalMigration: Migration = {
  version: 13,
  name: 'event removal',
  statements: ({ quoted: s, name }) => [guardedTriggerFunction(s), removalFunction(s, name)],
};
