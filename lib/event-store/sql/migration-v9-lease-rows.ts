import type { Migration } from './migration.interface.js';

/**
 * Leases as rows, for stores that reach PostgreSQL through a transaction-mode pooler, where a
 * session advisory lock would stay behind on whichever server connection took it. `lease_epoch`
 * is the epoch the holder was granted (so a reset or restart, which raises `epoch`, does not take
 * the lease from it), and `lease_expires_at` the database time after which another process may
 * take the subscription over. Both stay null for stores that lock.
 */
export const leaseRowsMigration: Migration = {
  version: 9,
  name: 'lease rows',
  statements: ({ quoted: s }) => [
    `ALTER TABLE ${s}.subscriptions
       ADD COLUMN lease_epoch bigint,
       ADD COLUMN lease_expires_at timestamptz`,
  ],
};
