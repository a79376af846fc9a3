import type { Migration } from './migration.interface.js';
import { parkedEventsMigration } from './migration-v4-parked-events.js';
import { scheduledCommandsMigration } from './migration-v6-scheduled-commands.js';
import { eventTimeIndexMigration } from './migration-v7-event-time-index.js';
import { subscriptionControl } from './migration-v5-subscription-control.js';
import { leaseRowsMigration } from './migration-v9-lease-rows.js';
import { groupedAppendMigration } from './migration-v10-grouped-append.js';
import { closedBooksMigration } from './migration-v11-closed-books.js';
import { subjectKeysMigration } from './migration-v12-subject-keys.js';
import { eventRemovalMigration } from './migration-v13-event-removal.js';
import { deletedStreamsMigration } from './migration-v14-deleted-streams.js';
import { spreadPartitionsMigration } from './migration-v15-spread-partitions.js';
import { replayWindowsMigration } from './migration-v16-replay-windows.js';
import { IMMUTABLE_EVENT_SQLSTATE } from './sql-states.js';
import { appendFunction, appendWithCommandFunction } from './sql-append-functions.js';

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
  closedBooksMigration,
  subjectKeysMigration,
  eventRemovalMigration,
  deletedStreamsMigration,
  spreadPartitionsMigration,
  replayWindowsMigration,
];
