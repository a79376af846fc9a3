import { MIGRATIONS } from './migrations.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/** Told after each statement of a migration run: how many of the pending statements are done. */
export type MigrationProgress = (done: number, total: number, migration: string) => void;

/**
 * Applies the migrations a schema lacks, all in one transaction under an advisory lock keyed by
 * the schema: a second process migrating at the same time waits, then finds nothing left to do.
 * Returns the versions applied now.
 */
export async function runMigrations(driver: SqlDriver, schema: SqlSchema, onProgress?: MigrationProgress): Promise<number[]> {
  return driver.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`nestjs-event-sourcing:migrate:${schema.name}`]);
    await sql.query(`CREATE SCHEMA IF NOT EXISTS ${schema.quoted}`);
    await sql.query(
      `CREATE TABLE IF NOT EXISTS ${schema.quoted}.migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await sql.query<{ version: number }>(`SELECT version FROM ${schema.quoted}.migrations`);
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: number[] = [];
    const pending = MIGRATIONS.filter((m) => !done.has(m.version));
    const total = pending.reduce((sum, m) => sum + m.statements(schema).length, 0);
    let run = 0;
    for (const migration of pending) {
      for (const statement of migration.statements(schema)) {
        await sql.query(statement);
        onProgress?.(++run, total, `${migration.version} ${migration.name}`);
      }
      await sql.query(`INSERT INTO ${schema.quoted}.migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** Latest migration version this release knows. */
export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Highest migration version applied to a schema (0 when it was never migrated). */
export async function appliedVersion(driver: SqlDriver, schema: SqlSchema): Promise<number> {
  const table = `${schema.quoted}.migrations`;
  const { rows } = await driver.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (!rows[0].present) return 0;
  const latest = await driver.query<{ version: number }>(`SELECT coalesce(max(version), 0) AS version FROM ${table}`);
  return Number(latest.rows[0].version);
}
