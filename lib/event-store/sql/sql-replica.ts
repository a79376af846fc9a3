import { Logger } from '@nestjs/common';
import type { ReplicaStatus } from '../replica-status.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlDriver } from './sql-driver.interface.js';

/** How long a replica that failed is left aside before readers try it again, in ms. */
export const REPLICA_RETRY_MS = 10_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The store's link to a read replica: runs reads there while it answers, and leaves it aside for
 * {@link REPLICA_RETRY_MS} after a failure (logged once per outage), so callers read the primary
 * instead of waiting. A server that is not in recovery counts as a failure: nothing would tell
 * how much of the primary's history it holds.
 */
export class SqlReplica {
  private readonly logger = new Logger('EventStoreReplica');
  private downUntil = 0;
  private lastError?: string;
  private eventsRead = 0;

  constructor(
    private readonly driver: SqlDriver,
    /** How far behind the head a reader must be to read here. */
    readonly minLag: number,
  ) {}

  /** False while a failure leaves the replica aside. */
  get usable(): boolean {
    return Date.now() >= this.downUntil;
  }

  /**
   * Runs `statement` on the replica in one transaction, after checking in that transaction that
   * the replica has replayed the primary's WAL up to `lsn`. The check and the read share a
   * connection, so the read's snapshot is taken after a replay that reached `lsn` (a standby that
   * restarted could otherwise answer from an earlier point). Undefined when the replica is not
   * there yet, is left aside, or fails.
   */
  async readReplayed<R>(lsn: string, text: string, params: unknown[]): Promise<R[] | undefined> {
    if (!this.usable) return undefined;
    try {
      const rows = await this.driver.transactionFrom<{ standby: boolean; replayed: boolean }, R[] | undefined>(
        {
          name: 'es_replica_replayed',
          text: 'SELECT pg_is_in_recovery() AS standby, coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS replayed',
          params: [lsn],
        },
        async (sql, [check]) => {
          if (!check.standby) throw new Error('the replica connection reaches a server that is not a standby');
          return check.replayed ? (await sql.query<R>(text, params)).rows : undefined;
        },
      );
      this.answered();
      if (rows) this.eventsRead += rows.length;
      return rows;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  /** Runs `text` on the replica, stale by its lag; on the primary when the replica is left aside or fails. */
  async query<R>(primary: SqlExecutor, text: string, params?: unknown[]): Promise<{ rows: R[] }> {
    if (this.usable) {
      try {
        const result = await this.driver.query<R>(text, params);
        this.answered();
        return result;
      } catch (error) {
        this.failed(error);
      }
    }
    return primary.query<R>(text, params);
  }

  /** Asks the replica how far it has replayed, against the primary's current WAL position. */
  async status(primary: SqlExecutor): Promise<ReplicaStatus> {
    try {
      const { rows } = await this.driver.query<{ replayed: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS replayed');
      if (rows[0].replayed === null) throw new Error('the replica connection reaches a server that is not a standby');
      const lag = await primary.query<{ bytes: string }>('SELECT greatest(pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn), 0)::text AS bytes', [
        rows[0].replayed,
      ]);
      this.answered();
      return { reachable: true, lagBytes: Number(lag.rows[0].bytes), eventsRead: this.eventsRead };
    } catch (error) {
      this.failed(error);
      return { reachable: false, eventsRead: this.eventsRead, error: message(error) };
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private answered(): void {
    if (this.lastError === undefined) return;
    this.lastError = undefined;
    this.logger.log('Read replica answers again: catch-up reads use it');
  }

  private failed(error: unknown): void {
    this.downUntil = Date.now() + REPLICA_RETRY_MS;
    if (this.lastError !== undefined) return;
    this.lastError = message(error);
    this.logger.warn(`Read replica left aside (${this.lastError}): the primary answers; trying it again every ${REPLICA_RETRY_MS / 1000} s`);
  }
}
