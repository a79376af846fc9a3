import type { ParkedEvent, ParkedEvents, ParkedSelection } from '../parked-events.interface.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import { assertIdentifier } from '../store-strings.js';
import type { SqlSchema } from './sql-schema.js';

interface ParkedRow {
  subscription: string;
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  error: string | null;
  attempts: number;
  retry_requested: boolean;
  parked_at: Date | string;
}

const toParkedEvent = (row: ParkedRow): ParkedEvent => ({
  subscription: row.subscription,
  globalPosition: Number(row.global_position),
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: Number(row.stream_version),
  eventType: row.event_type,
  error: row.error ?? undefined,
  attempts: Number(row.attempts),
  retryRequested: row.retry_requested,
  parkedAt: new Date(row.parked_at),
});

/**
 * Parked events in the `parked_events` table (migration 4). Operators name a subscription; the
 * events of a spread one are parked by its partitions (`name#i`, as each event's `subscription`
 * says), and are listed, retried and discarded with it.
 */
export class SqlParkedEvents implements ParkedEvents {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: SqlSchema,
  ) {}

  private get table(): string {
    return `${this.schema.quoted}.parked_events`;
  }

  /** The rows of subscription `$1` and of its partitions, when it is spread. */
  private get ofSubscription(): string {
    return `(subscription = $1 OR subscription IN (SELECT name FROM ${this.schema.quoted}.subscriptions WHERE partition_of = $1))`;
  }

  async list(subscription: string, options: { limit?: number; after?: number } = {}): Promise<ParkedEvent[]> {
    assertIdentifier('subscription name', subscription);
    const { rows } = await this.sql.query<ParkedRow>(
      `SELECT * FROM ${this.table} WHERE ${this.ofSubscription} AND global_position > $2 ORDER BY global_position LIMIT $3`,
      [subscription, options.after ?? 0, options.limit ?? 100],
    );
    return rows.map(toParkedEvent);
  }

  async count(subscription: string): Promise<number> {
    assertIdentifier('subscription name', subscription);
    const { rows } = await this.sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table} WHERE ${this.ofSubscription}`, [subscription]);
    return Number(rows[0].n);
  }

  async requestRetry(subscription: string, selection: ParkedSelection): Promise<number> {
    assertIdentifier('subscription name', subscription);
    const { rows } = await this.sql.query(
      `UPDATE ${this.table} SET retry_requested = true WHERE ${this.ofSubscription} AND ($2::bigint[] IS NULL OR global_position = ANY($2)) RETURNING 1`,
      [subscription, selection === 'all' ? null : selection],
    );
    return rows.length;
  }

  async discard(subscription: string, selection: ParkedSelection): Promise<number> {
    assertIdentifier('subscription name', subscription);
    const { rows } = await this.sql.query(
      `DELETE FROM ${this.table} WHERE ${this.ofSubscription} AND ($2::bigint[] IS NULL OR global_position = ANY($2)) RETURNING 1`,
      [subscription, selection === 'all' ? null : selection],
    );
    return rows.length;
  }

  async due(subscription: string, inStreamOrder: boolean): Promise<ParkedEvent[]> {
    const { rows } = await this.sql.query<ParkedRow>(
      `SELECT * FROM ${this.table} AS p WHERE p.subscription = $1 AND (p.retry_requested OR p.error IS NULL)
          AND NOT ($2 AND EXISTS (SELECT 1 FROM ${this.table} AS q
                WHERE q.subscription = p.subscription AND q.stream_id = p.stream_id AND q.global_position < p.global_position))
        ORDER BY p.global_position`,
      [subscription, inStreamOrder],
    );
    return rows.map(toParkedEvent);
  }

  async blockedStreams(subscription: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM ${this.table} WHERE subscription = $1`, [
      subscription,
    ]);
    return rows.map((row) => row.stream_id);
  }
}
