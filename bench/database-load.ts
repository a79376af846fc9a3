import pg from 'pg';

/** What PostgreSQL counted for one database, as `pg_stat_database` (and `pg_stat_statements`) keep it. */
export interface DatabaseLoad {
  /** `xact_commit + xact_rollback`: every autocommitted statement is one. */
  transactions: number;
  /** `tup_returned + tup_fetched`: rows and index entries scans returned, heap rows index scans fetched. */
  rows: number;
  /** `blks_hit + blks_read`: shared buffers looked up, in cache or not: the work of reads and writes alike. */
  buffers: number;
  /** `active_time`: ms the database's backends spent running statements. */
  activeMs: number;
  /** `pg_stat_statements` calls; absent when the extension is not loaded. */
  statements?: number;
}

/** The counters as read, and when (the server's clock). */
export interface DatabaseReading extends DatabaseLoad {
  at: string;
}

/** The counters one query reads; the statements' sum is null when no row matched. */
const COUNTERS = `SELECT clock_timestamp()::text AS at, xact_commit + xact_rollback AS transactions, tup_returned + tup_fetched AS rows,
                         blks_hit + blks_read AS buffers, active_time AS active_ms
                    FROM pg_stat_database WHERE datname = $1`;

/** `after − before`, counter by counter (statements only when both sides have them). */
export function loadBetween(before: DatabaseLoad, after: DatabaseLoad): DatabaseLoad {
  const delta: DatabaseLoad = {
    transactions: after.transactions - before.transactions,
    rows: after.rows - before.rows,
    buffers: after.buffers - before.buffers,
    activeMs: after.activeMs - before.activeMs,
  };
  if (before.statements !== undefined && after.statements !== undefined) delta.statements = after.statements - before.statements;
  return delta;
}

/** The URL of the same server's `postgres` database, from which the watched one is read without adding to its counters. */
function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

/**
 * Reads a database's load counters from a connection to the server's `postgres` database, so the
 * reads and the waits add nothing to what they measure. PostgreSQL adds a backend's counts to the
 * shared ones when it goes idle, at most once a second, else up to 10 s later; and always when it
 * exits. So a window is exact only between moments when the measured work has no backend left:
 * {@link gone} waits for that.
 */
export class LoadMonitor {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
    private readonly statements: boolean,
  ) {}

  /** Watches the database `url` names; fails with what to fix when the server's `postgres` database cannot be reached. */
  static async open(url: string): Promise<LoadMonitor> {
    const database = decodeURIComponent(new URL(url).pathname.slice(1)) || new URL(url).username;
    const client = new pg.Client({ connectionString: maintenanceUrl(url) });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `Reading ${database}'s counters needs the server's 'postgres' database: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    return new LoadMonitor(client, database, await statementsAvailable(client));
  }

  /** The counters as they stand. */
  async read(): Promise<DatabaseReading> {
    const { rows } = await this.client.query<Record<'at' | 'transactions' | 'rows' | 'buffers' | 'active_ms', string>>(COUNTERS, [this.database]);
    if (!rows.length) throw new Error(`No database '${this.database}' in pg_stat_database`);
    const [row] = rows;
    const load: DatabaseReading = {
      at: row.at,
      transactions: Number(row.transactions),
      rows: Number(row.rows),
      buffers: Number(row.buffers),
      activeMs: Number(row.active_ms),
    };
    if (this.statements) load.statements = await this.calls();
    return load;
  }

  /** Resolves once no backend of the database runs under `applicationName` (each flushed its counters on exit). */
  async gone(applicationName: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.sessions(applicationName)) > 0) {
      if (Date.now() > deadline) throw new Error(`Sessions named '${applicationName}' were still open after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Client sessions of the database that started a statement at or after `at` (a reading's): once
   * the measured work's sessions are gone, others whose work the counters include. A session that
   * came and went meanwhile is not seen.
   */
  async activeSince(at: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND query_start >= $2::timestamptz`,
      [this.database, at],
    );
    return Number(rows[0].n);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private async sessions(applicationName: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND application_name = $2`,
      [this.database, applicationName],
    );
    return Number(rows[0].n);
  }

  private async calls(): Promise<number> {
    const { rows } = await this.client.query<{ calls: string | null }>(
      'SELECT sum(s.calls) AS calls FROM pg_stat_statements AS s JOIN pg_database AS d ON d.oid = s.dbid WHERE d.datname = $1',
      [this.database],
    );
    return Number(rows[0].calls ?? 0);
  }
}

/** Whether `pg_stat_statements` answers here: installed in `postgres` and loaded by the server. */
async function statementsAvailable(client: pg.Client): Promise<boolean> {
  try {
    await client.query('SELECT 1 FROM pg_stat_statements LIMIT 1');
    return true;
  } catch {
    return false;
  }
}
