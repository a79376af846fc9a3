import type { Migration } from './migration.interface.js';

/**
 * A subscription's replay window moves into the subscription's row (`replay_after`, `replay_up_to`).
 * It was kept in a separate row named `$replay-<name>`, which a grant read in a subquery: a grant that
 * waited on a reset's row lock went on with the reset's checkpoint but, reading that other row by
 * its snapshot from before the reset, without the reset's window. A column of the granted row is
 * read from the row version the grant itself updates.
 */
export const replayWindowsMigration: Migration = {
  version: 16,
  name: 'replay windows',
  statements: ({ quoted: s }) => [
    `ALTER TABLE ${s}.subscriptions
       ADD COLUMN replay_after bigint,
       ADD COLUMN replay_up_to bigint`,
    `UPDATE ${s}.subscriptions AS s SET replay_after = r.reset_to, replay_up_to = r.position
       FROM ${s}.subscriptions AS r WHERE r.name = '$replay-' || s.name`,
    `DELETE FROM ${s}.subscriptions WHERE starts_with(name, '$replay-')`,
  ],
};
