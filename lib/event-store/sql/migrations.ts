import type { Migration } from './migration.interface.js';
import { parkedEventsMigration } from './migration-v4-parked-events.js';
import { scheduledCommandsMigration } from './migration-v6-scheduled-commands.js';
import { eventTimeIndexMigration } from './migration-v7-event-time-index.js';
import { subscriptionControl } from './migration-v5-subscription-control.js';
import { leaseRowsMigration } from './migration-v9-lease-rows.js';
import { groupedAppendMigration } from './migration-v10-grouped-append.js';
import { subjectKeysMigration } from './migration-v12-subject-keys.js';
import { eventRemovalMigration } from './migration-v13-event-removal.js';
import { IMMUTABLE_EVENT_SQLSTATE, WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-states.js';

export { IMMUTABLE_EVENT_SQLSTATE, WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-states.js';

export type { Migration } from './migration.interface.js';

const initial: Migration = {
  version: 1,
  name: 'initial schema',
  statements: ({ quoted: s }) => [
    // CACHE 1 (the default, spelled out because the reader relies on it): positions are handed
    // out in the order they are drawn, across all sessions.
    `CREATE SEQUENCE ${s}.global_position_seq AS bigint CACHE 1`,
    `CREATE TABLE ${s}.events (
       global_position bigint PRIMARY KEY,
       event_id uuid NOT NULL CONSTRAINT events_event_id_key UNIQUE,
       stream_id text NOT NULL,
       stream_version integer NOT NULL,
       event_type text NOT NULL,
       data jsonb NOT NULL,
       metadata jsonb NOT NULL DEFAULT '{}',
       causation_id text,
       correlation_id text,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
     )`,
    `CREATE FUNCTION ${s}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'stored events are immutable: % on %.events refused', TG_OP, TG_TABLE_SCHEMA
         USING ERRCODE = '${IMMUTABLE_EVENT_SQLSTATE}';
     END $$`,
    `CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON ${s}.events
       FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_event_change()`,
    `CREATE TRIGGER events_not_truncated BEFORE TRUNCATE ON ${s}.events
       FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_event_change()`,
    `CREATE TABLE ${s}.subscriptions (
       name text PRIMARY KEY,
       position bigint NOT NULL DEFAULT 0,
       epoch bigint NOT NULL DEFAULT 1,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE ${s}.snapshots (
       stream_id text PRIMARY KEY,
       stream_version integer NOT NULL,
       snapshot_type text NOT NULL,
       snapshot_version integer NOT NULL,
       data jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    appendFunction(s),
  ],
};

/**
 * One append in one statement. The transaction id is assigned first, before any global position
 * is drawn: SqlAllStreamReader's proof that a gap is final depends on it. A transaction-scoped
 * advisory lock on the stream then serializes appends to that stream (and only to it), so the
 * version read next is the stream's end until commit and the expected-version check cannot race;
 * the unique (stream_id, stream_version) key stays as the backstop. Nothing but the events is
 * written: no counter row to update, so an append costs one row per event.
 */
function appendFunction(s: string): string {
  return `CREATE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
    RETURNS TABLE (stream_version integer, global_position bigint, created_at timestamptz)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v integer;
    BEGIN
      PERFORM pg_current_xact_id();
      PERFORM pg_advisory_xact_lock(hashtext('${s}.append_events'), hashtext(p_stream));
      SELECT coalesce(max(e.stream_version), 0) INTO v FROM ${s}.events AS e WHERE e.stream_id = p_stream;
      IF NOT (p_expected = 'any'
              OR (p_expected = 'no_stream' AND v = 0)
              OR (p_expected = 'stream_exists' AND v > 0)
              OR p_expected = v::text) THEN
        RAISE EXCEPTION 'wrong expected version' USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}', DETAIL = v::text;
      END IF;
      RETURN QUERY
        INSERT INTO ${s}.events AS e (global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id)
        SELECT nextval('${s}.global_position_seq'), (x.ev->>'eventId')::uuid, p_stream, v + x.i::integer,
               x.ev->>'eventType', x.ev->'data', coalesce(x.ev->'metadata', '{}'), x.ev->>'causationId', x.ev->>'correlationId'
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, i)
        RETURNING e.stream_version, e.global_position, e.created_at;
    END $$`;
}

const commands: Migration = {
  version: 2,
  name: 'recorded commands',
  statements: ({ quoted: s }) => [
    `CREATE TABLE ${s}.commands (
       command_id text CONSTRAINT commands_pkey PRIMARY KEY,
       stream_id text NOT NULL,
       command_type text NOT NULL,
       payload_hash text NOT NULL,
       first_version integer NOT NULL,
       last_version integer NOT NULL,
       global_position bigint NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    // BRIN: rows arrive in time order, so pruning by age needs no B-tree maintained on every append.
    `CREATE INDEX commands_created_at_idx ON ${s}.commands USING brin (created_at)`,
    appendWithCommandFunction(s),
  ],
};

/**
 * The append of version 1 plus the command that produced the events, recorded by the same
 * statement: both commit or neither does. Everything said of version 1 holds (transaction id
 * first, per-stream advisory lock, one round trip). A command id recorded before, or being
 * recorded by a concurrent transaction, fails the statement on the commands_pkey unique key once
 * that transaction commits, so a command can never have two sets of events. A null p_command
 * records nothing. Version 1's function stays for nodes not yet upgraded.
 */
function appendWithCommandFunction(s: string): string {
  return `CREATE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb, p_command jsonb)
    RETURNS TABLE (stream_version integer, global_position bigint, created_at timestamptz)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v integer;
    BEGIN
      PERFORM pg_current_xact_id();
      PERFORM pg_advisory_xact_lock(hashtext('${s}.append_events'), hashtext(p_stream));
      SELECT coalesce(max(e.stream_version), 0) INTO v FROM ${s}.events AS e WHERE e.stream_id = p_stream;
      IF NOT (p_expected = 'any'
              OR (p_expected = 'no_stream' AND v = 0)
              OR (p_expected = 'stream_exists' AND v > 0)
              OR p_expected = v::text) THEN
        RAISE EXCEPTION 'wrong expected version' USING ERRCODE = '${WRONG_EXPECTED_VERSION_SQLSTATE}', DETAIL = v::text;
      END IF;
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

/** Cluster nodes that discover each other through the store (`discovery: 'store'`). */
const clusterMembers: Migration = {
  version: 3,
  name: 'cluster members',
  statements: ({ quoted: s }) => [
    `CREATE TABLE ${s}.cluster_members (
       name text PRIMARY KEY,
       host text NOT NULL,
       port integer NOT NULL,
       started_at timestamptz NOT NULL,
       heartbeat_at timestamptz NOT NULL
     )`,
  ],
};

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  commands,
  clusterMembers,
  parkedEventsMigration,
  subscriptionControl,
  scheduledCommandsMigration,
  eventTimeIndexMigration,
  leaseRowsMigration,
  groupedAppendMigration,
  subjectKeysMigration,
  eventRemovalMigration,
];
