import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * Partitions of a partitioned events table, and how new ones come to exist.
 *
 * Positions must find a partition when they are drawn: PostgreSQL refuses a row no partition's
 * range takes (SQLSTATE 23514, "no partition of relation"), and a DEFAULT partition is no way out:
 * a range can no longer be attached while the default holds rows of it. So partitions are created
 * ahead of the sequence, whole ranges of `rangeSize` positions at once, by {@link addPartitions}:
 * - at start-up and whenever an append lands in the last half range before the end (see
 *   `partition-keeper.ts`), so appends normally never meet the end;
 * - after an append that met the end anyway (a burst, or a node that did not know the store was
 *   partitioned), which is then sent again: the refused statement rolled back whole, so nothing of
 *   it was written, and its drawn positions are gaps as any rolled-back append's are.
 * A partition is created as a plain table with a CHECK constraint equal to its range, then
 * attached: ATTACH takes only a SHARE UPDATE EXCLUSIVE lock on the parent, which appends (ROW
 * EXCLUSIVE) and reads do not wait for, and finds the constraint instead of scanning. Creation is
 * serialised across nodes by a transaction advisory lock, and the ranges are read again under it,
 * so two nodes never create the same one.
 *
 * What the parent cannot carry is added to each partition: unique (stream_id, stream_version) and
 * unique event_id (a partitioned table's unique indexes must contain the partition key), and the
 * statement-level triggers of the parent (TRUNCATE), which PostgreSQL does not clone; row-level
 * triggers (UPDATE, DELETE) are cloned by PostgreSQL itself.
 */

/** Name of the partition whose range starts at `lower`. */
export const partitionName = (lower: number): string => `events_p${lower}`;

/** The advisory lock key serialising changes to the partition layout of one schema. */
export const layoutLockKey = (schema: SqlSchema): string => `${schema.name}.event_partitions`;

/** True when the store's events table is partitioned. */
export async function isPartitioned(sql: SqlExecutor, schema: SqlSchema): Promise<boolean> {
  const { rows } = await sql.query<{ kind: string | null }>(`SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass($1)`, [
    `${schema.quoted}.events`,
  ]);
  return rows[0]?.kind === 'p';
}

/** The last position the sequence handed out (0 before the first). */
export async function lastDrawn(sql: SqlExecutor, schema: SqlSchema): Promise<number> {
  const { rows } = await sql.query<{ last: string }>(
    `SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS last FROM ${schema.quoted}.global_position_seq`,
  );
  return Number(rows[0].last);
}

/** The end of the attached ranges (the first position no partition takes) and the last range's size. */
export async function partitionEnd(sql: SqlExecutor, schema: SqlSchema): Promise<{ end: number; lastSize: number }> {
  const { rows } = await sql.query<{ end: string; size: string }>(
    `SELECT upper::text AS end, (upper - lower)::text AS size FROM ${schema.quoted}.event_partitions ORDER BY lower DESC LIMIT 1`,
  );
  return rows.length ? { end: Number(rows[0].end), lastSize: Number(rows[0].size) } : { end: 0, lastSize: 0 };
}

/** The parent's statement-level triggers, as statements creating them on another table. */
async function statementTriggers(sql: SqlExecutor, schema: SqlSchema): Promise<(table: string) => string[]> {
  const { rows } = await sql.query<{ def: string; parent: string }>(
    `SELECT pg_get_triggerdef(t.oid) AS def, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS parent
       FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
      WHERE t.tgrelid = to_regclass($1) AND NOT t.tgisinternal AND t.tgtype & 1 = 0`,
    [`${schema.quoted}.events`],
  );
  return (table) => rows.map(({ def, parent }) => def.replace(` ON ${parent} `, ` ON ${table} `));
}

/**
 * Creates and attaches ranges of `rangeSize` after the last one until `through` has a partition;
 * the caller holds the layout lock in a transaction. Returns the end of the ranges.
 */
export async function addPartitions(sql: SqlExecutor, schema: SqlSchema, rangeSize: number, through: number): Promise<number> {
  const s = schema.quoted;
  let { end: lower } = await partitionEnd(sql, schema);
  if (lower > through) return lower;
  const triggersOn = await statementTriggers(sql, schema);
  while (lower <= through) {
    const upper = lower + rangeSize;
    const name = partitionName(lower);
    const table = `${s}."${name}"`;
    await sql.query(`CREATE TABLE ${table} (LIKE ${s}.events INCLUDING DEFAULTS)`);
    await sql.query(`ALTER TABLE ${table} ADD CONSTRAINT "${name}_range" CHECK (global_position >= ${lower} AND global_position < ${upper})`);
    await sql.query(`CREATE UNIQUE INDEX "${name}_stream_version_key" ON ${table} (stream_id, stream_version)`);
    await sql.query(`CREATE UNIQUE INDEX "${name}_event_id_key" ON ${table} (event_id)`);
    for (const trigger of triggersOn(table)) await sql.query(trigger);
    await sql.query(`ALTER TABLE ${s}.events ATTACH PARTITION ${table} FOR VALUES FROM (${lower}) TO (${upper})`);
    await sql.query(`INSERT INTO ${s}.event_partitions (lower, upper, name) VALUES ($1, $2, $3)`, [lower, upper, name]);
    lower = upper;
  }
  return lower;
}

/** True when `error` is PostgreSQL's refusal of a row that no partition's range takes. */
export function isMissingPartition(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '23514' && typeof message === 'string' && message.startsWith('no partition of relation');
}
