import { SchemaNotFoundError } from '../../errors/schema-not-found.error.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * A {@link SchemaNotFoundError} when `schema` does not exist, naming the schemas of the same
 * database that hold an event store (a `migrations` and an `events` table): a mistyped name is
 * then one look away, rather than a new empty store created by a migrate run on the typo.
 */
export async function missingSchemaError(sql: SqlExecutor, schema: SqlSchema): Promise<SchemaNotFoundError | undefined> {
  const { rows } = await sql.query<{ present: boolean; database: string }>(
    'SELECT to_regnamespace($1) IS NOT NULL AS present, current_database() AS database',
    [schema.quoted],
  );
  if (rows[0].present) return undefined;
  const stores = await sql.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name IN ('migrations', 'events')
      GROUP BY table_schema HAVING count(*) = 2 ORDER BY table_schema`,
  );
  return new SchemaNotFoundError(
    schema.name,
    rows[0].database,
    stores.rows.map((row) => row.schema),
  );
}
