import type { Migration } from './migration.interface.js';

/**
 * Subscriptions spread over nodes by partition. The subscription's own row records how many
 * partitions it was split into (`partitions`, null while it runs whole); each partition has a row
 * of its own (`partition_of` naming the subscription) with its checkpoint, epoch and lease, like
 * any subscription. `subscription_members` holds a heartbeat per node running a spread
 * subscription, so nodes that share only the store learn how many share the partitions.
 */
export const spreadPartitionsMigration: Migration = {
  version: 15,
  name: 'spread partitions',
  statements: ({ quoted: s }) => [
    `ALTER TABLE ${s}.subscriptions
       ADD COLUMN partitions integer,
       ADD COLUMN partition_of text`,
    `CREATE INDEX subscriptions_partition_of_idx ON ${s}.subscriptions (partition_of) WHERE partition_of IS NOT NULL`,
    `CREATE TABLE ${s}.subscription_members (
       subscription text NOT NULL,
       node text NOT NULL,
       heartbeat_at timestamptz NOT NULL,
       PRIMARY KEY (subscription, node)
     )`,
  ],
};
