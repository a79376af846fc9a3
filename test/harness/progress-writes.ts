import type { SqlExecutor } from '../../lib/event-store/sql-executor.interface.js';

/** How often one subscription row was written, and the highest position written. */
export interface ProgressWrites {
  writes: number;
  top: number;
}

/**
 * Counts every write of the subscriptions table of `schema` (a trigger records each row written),
 * so a test sees how often a subscription stored its progress, as the database saw it.
 */
export async function countProgressWrites(sql: SqlExecutor, schema: string): Promise<() => Promise<Map<string, ProgressWrites>>> {
  const s = `"${schema}"`;
  await sql.query(`CREATE TABLE ${s}.progress_writes (name text NOT NULL, position bigint NOT NULL)`);
  await sql.query(`CREATE FUNCTION ${s}.count_progress_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${s}.progress_writes VALUES (NEW.name, NEW.position);
      RETURN NEW;
    END $$`);
  await sql.query(
    `CREATE TRIGGER count_progress_writes AFTER INSERT OR UPDATE ON ${s}.subscriptions FOR EACH ROW EXECUTE FUNCTION ${s}.count_progress_write()`,
  );
  return async () => {
    const { rows } = await sql.query<{ name: string; writes: number; top: string }>(
      `SELECT name, count(*)::int AS writes, max(position) AS top FROM ${s}.progress_writes GROUP BY name`,
    );
    return new Map(rows.map((row) => [row.name, { writes: row.writes, top: Number(row.top) }]));
  };
}
