import type { Migration } from './migration.interface.js';

/**
 * One AES-256 key per data subject, apart from the events (which are immutable): forgetting a
 * subject sets its `key` to null and stamps `forgotten_at`, which makes its personal fields
 * unreadable wherever the events are, and keeps the row so the subject never gets a new key. No
 * CHECK constraint: PostgreSQL would print the failing row, key included, in its error.
 */
export const subjectKeysMigration: Migration = {
  version: 12,
  name: 'subject keys',
  statements: ({ quoted: s }) => [
    `CREATE TABLE ${s}.subject_keys (
       subject_id text PRIMARY KEY,
       key bytea,
       created_at timestamptz NOT NULL DEFAULT now(),
       forgotten_at timestamptz
     )`,
  ],
};
