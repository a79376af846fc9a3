import type { SqlExecutor } from '../../lib/index.js';
import { type SampleConfig, servesTenants } from '../config.js';

/**
 * The schema of the store whose events a table of the sample derives from: the store's own, or,
 * when the bank serves tenants, the tenant's `<schema>_<tenant>` (the library's default tenant
 * store), so a tenant's read models live, and are dropped, with its events.
 */
export function schemaOf(config: SampleConfig, tenant: string | undefined): string {
  if (!servesTenants(config)) return config.schema;
  // Never the shared schema: it holds only the tenant list, and a row there would be every tenant's.
  if (tenant === undefined) throw new Error('This bank serves tenants, and an event or read named none: its read models have no tenant to go to');
  return `${config.schema}_${tenant}`;
}

/**
 * Creates the sample's tables when first needed, once per table in this process. Nodes starting
 * together would race on CREATE TABLE IF NOT EXISTS, so one lock and one statement; run through a
 * projector's transaction, the lock is held until it commits.
 */
export class SampleTables {
  private readonly created = new Set<string>();

  constructor(private readonly columns: string) {}

  async ensure(table: string, sql: SqlExecutor): Promise<void> {
    if (this.created.has(table)) return;
    await sql.query(
      `DO $$ BEGIN
         PERFORM pg_advisory_xact_lock(hashtext('${table}'));
         CREATE TABLE IF NOT EXISTS ${table} (${this.columns});
       END $$`,
    );
  }

  /**
   * Runs `write` on `table`, creating it first when needed. The table counts as created once a
   * write succeeded; when one fails (the transaction that created it may have been rolled back),
   * the next write checks again.
   */
  async write<T>(table: string, sql: SqlExecutor, write: () => Promise<T>): Promise<T> {
    await this.ensure(table, sql);
    try {
      const result = await write();
      this.created.add(table);
      return result;
    } catch (error) {
      this.created.delete(table);
      throw error;
    }
  }

  /** Creates `table` outside any transaction (it commits at once), so it counts as created from then on. */
  async ensureNow(table: string, sql: SqlExecutor): Promise<void> {
    await this.ensure(table, sql);
    this.created.add(table);
  }
}
