import { BooksNotCoveredError } from '../../errors/books-not-covered.error.js';
import { ConfigurationError } from '../../errors/configuration.error.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import { isPartitioned, lastDrawn } from './event-partitions.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/** Streams a refusal lists. */
const LISTED = 100;

/** What closing the books did, or would do (`dryRun`). */
export interface ClosedBooks {
  /** Every position below this one is archived (0: the books were never closed). */
  before: number;
  /** The partitions detached by this call, lowest first. */
  partitions: Array<{ name: string; lower: number; upper: number }>;
  /** Where the detached partitions now are: dump them from there, then drop them. */
  archiveSchema: string;
  /** Subscriptions whose checkpoint is below the cut: they go on at the cut, without the events between. */
  behind: string[];
  dryRun: boolean;
}

/** The schema the partitions of closed books are moved to. */
export const archiveSchemaOf = (schema: SqlSchema): string => `${schema.name}_archive`;

/** The cut of the books: every position below it is archived; 0 when they were never closed. */
export async function booksClosedBefore(sql: SqlExecutor, schema: SqlSchema): Promise<number> {
  const { rows } = await sql.query<{ before: string }>(`SELECT coalesce(max(before_position), 0)::text AS before FROM ${schema.quoted}.closed_books`);
  return Number(rows[0].before);
}

/**
 * Closes the books before `before`: detaches every partition whose range lies wholly below it (and
 * below the last position drawn), moves it to the archive schema, and records the new cut.
 *
 * Aggregates must stay loadable from what is left: a stream's versions grow with its positions
 * (its appends are serialised and each draws positions after the previous one committed), so a
 * snapshot at or after the stream's last version below the cut needs only events above it. Unless
 * every stream with events below the cut has one, nothing is detached ({@link BooksNotCoveredError}).
 * The check and the detach run in one transaction holding ACCESS EXCLUSIVE on the events table (no
 * append or read of events runs meanwhile; every position below the cut is final) and SHARE on
 * snapshots (none is replaced meanwhile). A dry run checks the same, without locks or changes.
 */
export async function closeBooks(driver: SqlDriver, schema: SqlSchema, before: number, dryRun: boolean): Promise<ClosedBooks> {
  const s = schema.quoted;
  const archiveSchema = archiveSchemaOf(schema);
  const run = async (sql: SqlExecutor): Promise<ClosedBooks> => {
    if (!(await isPartitioned(sql, schema))) {
      throw new ConfigurationError(
        `The events table of schema '${schema.name}' is not partitioned, so no books can be closed: partition it first (\`nestjs-event-sourcing partition-events\`, docs/operations.md)`,
      );
    }
    if (!dryRun) {
      await sql.query(`LOCK TABLE ${s}.events IN ACCESS EXCLUSIVE MODE`);
      await sql.query(`LOCK TABLE ${s}.snapshots IN SHARE MODE`);
    }
    const limit = Math.min(before, (await lastDrawn(sql, schema)) + 1);
    const { rows } = await sql.query<{ name: string; lower: string; upper: string }>(
      `SELECT p.name, p.lower::text AS lower, p.upper::text AS upper FROM ${s}.event_partitions AS p
        WHERE p.archived_in IS NULL AND p.upper <= $1 ORDER BY p.lower`,
      [limit],
    );
    const partitions = rows.map((row) => ({ name: row.name, lower: Number(row.lower), upper: Number(row.upper) }));
    if (!partitions.length) return { before: await booksClosedBefore(sql, schema), partitions, archiveSchema, behind: [], dryRun };
    const cut = partitions[partitions.length - 1].upper;
    await assertCovered(sql, schema, cut);
    const behind = await subscriptionsBehind(sql, schema, cut);
    if (!dryRun) await detach(sql, schema, partitions, cut);
    return { before: cut, partitions, archiveSchema, behind, dryRun };
  };
  return dryRun ? run(driver) : driver.transaction(run);
}

/** The subscriptions (not the library's own `$` leases) that have not yet handled every event below `cut`. */
async function subscriptionsBehind(sql: SqlExecutor, schema: SqlSchema, cut: number): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT name FROM ${schema.quoted}.subscriptions WHERE position < $1 - 1 AND NOT starts_with(name, '$') ORDER BY name`,
    [cut],
  );
  return rows.map((row) => row.name);
}

/** Refuses unless every stream with events below `cut` has a snapshot at or after its last version there. */
async function assertCovered(sql: SqlExecutor, schema: SqlSchema, cut: number): Promise<void> {
  const s = schema.quoted;
  const { rows } = await sql.query<{ stream_id: string; uncovered: string }>(
    `SELECT e.stream_id, count(*) OVER ()::text AS uncovered
       FROM (SELECT stream_id, max(stream_version) AS last FROM ${s}.events WHERE global_position < $1 GROUP BY stream_id) AS e
       LEFT JOIN ${s}.snapshots AS n ON n.stream_id = e.stream_id
      WHERE n.stream_version IS NULL OR n.stream_version < e.last
      ORDER BY e.stream_id LIMIT ${LISTED}`,
    [cut],
  );
  if (rows.length)
    throw new BooksNotCoveredError(
      cut,
      rows.map((row) => row.stream_id),
      Number(rows[0].uncovered),
    );
}

async function detach(sql: SqlExecutor, schema: SqlSchema, partitions: ClosedBooks['partitions'], cut: number): Promise<void> {
  const s = schema.quoted;
  const archive = `"${archiveSchemaOf(schema)}"`;
  await recordStreamVersions(sql, schema, cut);
  await sql.query(`CREATE SCHEMA IF NOT EXISTS ${archive}`);
  for (const { name, lower } of partitions) {
    await sql.query(`ALTER TABLE ${s}.events DETACH PARTITION ${s}."${name}"`);
    await sql.query(`ALTER TABLE ${s}."${name}" SET SCHEMA ${archive}`);
    await sql.query(`UPDATE ${s}.event_partitions SET archived_in = $1 WHERE lower = $2`, [archiveSchemaOf(schema), lower]);
  }
  await sql.query(`INSERT INTO ${s}.closed_books (before_position) VALUES ($1) ON CONFLICT DO NOTHING`, [cut]);
}

/** Records each stream's last version below the cut, which the append functions go on from once none of its events is left. */
async function recordStreamVersions(sql: SqlExecutor, schema: SqlSchema, cut: number): Promise<void> {
  const s = schema.quoted;
  await sql.query(
    `INSERT INTO ${s}.closed_streams (stream_id, stream_version)
     SELECT stream_id, max(stream_version) FROM ${s}.events WHERE global_position < $1 GROUP BY stream_id
     ON CONFLICT (stream_id) DO UPDATE SET stream_version = greatest(${s}.closed_streams.stream_version, excluded.stream_version)`,
    [cut],
  );
}
