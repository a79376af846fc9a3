import { PartitionLayoutError } from '../../errors/partition-layout.error.js';
import { SubscriptionLostError } from '../../errors/subscription-lost.error.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import { partitionName, streamPartition } from '../stream-partition.js';
import type { SubscriptionLease } from '../subscription-lease.interface.js';
import type { SubscriptionPartitions } from '../subscription-partitions.interface.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/** {@link SubscriptionPartitions} on the `subscriptions` and `subscription_members` tables (migration 15). */
export class SqlSubscriptionPartitions implements SubscriptionPartitions {
  constructor(
    private readonly driver: SqlDriver,
    private readonly schema: SqlSchema,
  ) {}

  split(lease: SubscriptionLease, count: number, start: number): Promise<void> {
    const s = this.schema.quoted;
    return this.driver.transaction(async (sql) => {
      const { rows } = await sql.query<{ position: string; finished: string[]; paused: boolean; partitions: number | null }>(
        `SELECT position, finished, paused, partitions FROM ${s}.subscriptions WHERE name = $1 AND epoch = $2 FOR UPDATE`,
        [lease.name, lease.epoch],
      );
      const row = rows[0];
      if (!row) throw new SubscriptionLostError(lease.name);
      if (row.partitions !== null && row.partitions !== count) throw new PartitionLayoutError(lease.name, row.partitions, count);
      if (row.partitions === count) return;
      await sql.query(`UPDATE ${s}.subscriptions SET partitions = $2, updated_at = now() WHERE name = $1`, [lease.name, count]);
      await sql.query(
        `INSERT INTO ${s}.subscriptions (name, partition_of, position, finished, paused)
         SELECT p, $1, GREATEST($3::bigint, $4::bigint), $5::bigint[], $6 FROM unnest($2::text[]) AS p`,
        [lease.name, Array.from({ length: count }, (_, index) => partitionName(lease.name, index)), row.position, start, row.finished, row.paused],
      );
      await this.moveParked(sql, lease.name, count);
    });
  }

  async heartbeat(name: string, node: string, timeoutMs: number): Promise<string[]> {
    const table = `${this.schema.quoted}.subscription_members`;
    // One statement: the upsert and the read see the same clock.
    const { rows } = await this.driver.query<{ node: string }>(
      `WITH beat AS (
         INSERT INTO ${table} (subscription, node, heartbeat_at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT (subscription, node) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at)
       SELECT node FROM ${table}
        WHERE subscription = $1 AND node <> $2 AND heartbeat_at > clock_timestamp() - make_interval(secs => $3::double precision / 1000)`,
      [name, node, timeoutMs],
    );
    return [node, ...rows.map((row) => row.node)].sort();
  }

  async leave(name: string, node: string): Promise<void> {
    await this.driver.query(`DELETE FROM ${this.schema.quoted}.subscription_members WHERE subscription = $1 AND node = $2`, [name, node]);
  }

  /** The subscription's parked events go to the partitions of their streams, which retry or hold them from now on. */
  private async moveParked(sql: SqlExecutor, name: string, count: number): Promise<void> {
    const s = this.schema.quoted;
    const { rows } = await sql.query<{ global_position: string; stream_id: string }>(
      `SELECT global_position, stream_id FROM ${s}.parked_events WHERE subscription = $1`,
      [name],
    );
    if (!rows.length) return;
    await sql.query(
      `UPDATE ${s}.parked_events AS pe SET subscription = x.partition
         FROM unnest($2::bigint[], $3::text[]) AS x(position, partition)
        WHERE pe.subscription = $1 AND pe.global_position = x.position`,
      [name, rows.map((row) => row.global_position), rows.map((row) => partitionName(name, streamPartition(row.stream_id, count)))],
    );
  }
}
