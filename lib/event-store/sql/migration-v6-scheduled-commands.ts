import type { Migration } from './migration.interface.js';

/** Commands process managers asked to send later; one per (process manager, process id, key). */
export const scheduledCommandsMigration: Migration = {
  version: 6,
  name: 'scheduled commands',
  statements: ({ quoted: s }) => [
    `CREATE TABLE ${s}.scheduled_commands (
       process_manager text NOT NULL,
       process_id text NOT NULL,
       key text NOT NULL,
       command_id text NOT NULL,
       command_type text NOT NULL,
       command jsonb NOT NULL,
       due_at timestamptz NOT NULL,
       causation_id text,
       correlation_id text,
       metadata jsonb NOT NULL DEFAULT '{}',
       attempts integer NOT NULL DEFAULT 0,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT scheduled_commands_pkey PRIMARY KEY (process_manager, process_id, key)
     )`,
    `CREATE INDEX scheduled_commands_due_idx ON ${s}.scheduled_commands (process_manager, due_at)`,
  ],
};
