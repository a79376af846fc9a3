import type { Migration } from './migration.interface.js';

/**
 * Parked (dead-letter) events, keyed by subscription and position, and the finished positions a
 * subscription with parallel partitions has above its checkpoint, kept on its row so both move
 * in the statement that moves the checkpoint.
 */
export const parkedEventsMigration: Migration = {
  version: 4,
  name: 'parked events and finished positions',
  statements: ({ quoted: s }) => [
    `ALTER TABLE ${s}.subscriptions ADD COLUMN finished bigint[] NOT NULL DEFAULT '{}'`,
    `CREATE TABLE ${s}.parked_events (
       subscription text NOT NULL,
       global_position bigint NOT NULL,
       event_id uuid NOT NULL,
       stream_id text NOT NULL,
       stream_version integer NOT NULL,
       event_type text NOT NULL,
       error text,
       attempts integer NOT NULL,
       retry_requested boolean NOT NULL DEFAULT false,
       parked_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (subscription, global_position)
     )`,
    `CREATE INDEX parked_events_stream_idx ON ${s}.parked_events (subscription, stream_id, global_position)`,
  ],
};
