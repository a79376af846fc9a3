import { ConfigurationError } from '../../errors/configuration.error.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import { addPartitions, isPartitioned, lastDrawn, layoutLockKey, partitionName } from './event-partitions.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/** What converting a store to the partitioned layout does, or did. */
export interface PartitionPlan {
  /** The store was partitioned already: nothing to do. */
  alreadyPartitioned: boolean;
  rangeSize: number;
  /** The last position drawn when the plan was made. */
  lastPosition: number;
  /** The existing table becomes the partition of positions [0, firstBoundary). */
  firstBoundary: number;
  /** Events in the existing table (the planner's estimate on a large table). */
  events: number;
}

/** The constraint proving the existing table's rows lie below the first boundary. */
const RANGE_CHECK = 'events_range';

/**
 * Turns a plain events table into the partitioned layout without copying a row, and without a
 * long lock on a large table:
 * 1. (unlocked) A CHECK constraint `global_position < B` is added NOT VALID, then validated.
 *    Validation scans the table under SHARE UPDATE EXCLUSIVE, which appends and reads do not wait
 *    for. B is past the last drawn position by at least a range, and appends keep going meanwhile:
 *    a new row is checked against the constraint from the moment it is added.
 * 2. (one short transaction, ACCESS EXCLUSIVE on the table) The table is renamed to be the first
 *    partition, a partitioned `events` takes its name, columns and triggers, and the table is
 *    attached for [0, B): PostgreSQL finds the validated constraint and does not scan again. The
 *    next range is created at once. Refused, nothing changed, if the sequence has reached B.
 * Row triggers move to the parent (PostgreSQL clones them back onto every partition); the
 * statement trigger stays on the old table and is copied to the parent. The old table keeps its
 * unique indexes, as every partition has its own (see `event-partitions.ts`).
 * With `emptyOnly` (a new store at start-up) step 1 is skipped, and a table holding events is refused.
 */
export async function partitionEvents(
  driver: SqlDriver,
  schema: SqlSchema,
  options: { rangeSize: number; dryRun?: boolean; emptyOnly?: boolean },
): Promise<PartitionPlan> {
  const plan = await planOf(driver, schema, options.rangeSize);
  if (plan.alreadyPartitioned || options.dryRun) return plan;
  if (options.emptyOnly && plan.events > 0) {
    throw new ConfigurationError(
      `The events table of schema '${schema.name}' holds events: partition it with \`nestjs-event-sourcing partition-events --schema ${schema.name}\` (see docs/operations.md), or remove 'eventStore.partitioning'`,
    );
  }
  const events = `${schema.quoted}.events`;
  if (!options.emptyOnly) {
    await driver.query(`ALTER TABLE ${events} DROP CONSTRAINT IF EXISTS ${RANGE_CHECK}`);
    await driver.query(
      `ALTER TABLE ${events} ADD CONSTRAINT ${RANGE_CHECK} CHECK (global_position >= 0 AND global_position < ${plan.firstBoundary}) NOT VALID`,
    );
    await driver.query(`ALTER TABLE ${events} VALIDATE CONSTRAINT ${RANGE_CHECK}`);
  }
  await driver.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [layoutLockKey(schema)]);
    if (await isPartitioned(sql, schema)) return;
    await sql.query(`LOCK TABLE ${events} IN ACCESS EXCLUSIVE MODE`);
    const last = await lastDrawn(sql, schema);
    if (last >= plan.firstBoundary) {
      throw new ConfigurationError(`Positions reached ${last} while the table was checked below ${plan.firstBoundary}: run the conversion again`);
    }
    await swapIn(sql, schema, plan.firstBoundary, !!options.emptyOnly);
    await addPartitions(sql, schema, plan.rangeSize, plan.firstBoundary);
  });
  return plan;
}

async function planOf(sql: SqlExecutor, schema: SqlSchema, rangeSize: number): Promise<PartitionPlan> {
  const lastPosition = await lastDrawn(sql, schema);
  const alreadyPartitioned = await isPartitioned(sql, schema);
  const { rows } = await sql.query<{ events: string }>(
    `SELECT CASE WHEN c.reltuples > 100000 THEN c.reltuples::bigint ELSE (SELECT count(*) FROM ${schema.quoted}.events) END::text AS events
       FROM pg_class AS c WHERE c.oid = to_regclass($1)`,
    [`${schema.quoted}.events`],
  );
  const firstBoundary = Math.ceil((lastPosition + rangeSize) / rangeSize) * rangeSize;
  return { alreadyPartitioned, rangeSize, lastPosition, firstBoundary, events: Number(rows[0].events) };
}

/** Step 2 of {@link partitionEvents}, inside its transaction and locks. */
async function swapIn(sql: SqlExecutor, schema: SqlSchema, boundary: number, checkNow: boolean): Promise<void> {
  const s = schema.quoted;
  const first = partitionName(0);
  if (checkNow)
    await sql.query(`ALTER TABLE ${s}.events ADD CONSTRAINT ${RANGE_CHECK} CHECK (global_position >= 0 AND global_position < ${boundary})`);
  const { rows: triggers } = await sql.query<{ name: string; def: string; row: boolean }>(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS def, tgtype & 1 = 1 AS row FROM pg_trigger WHERE tgrelid = to_regclass($1) AND NOT tgisinternal`,
    [`${s}.events`],
  );
  await sql.query(`ALTER TABLE ${s}.events RENAME TO "${first}"`);
  for (const trigger of triggers.filter((t) => t.row)) await sql.query(`DROP TRIGGER "${trigger.name}" ON ${s}."${first}"`);
  await sql.query(`CREATE TABLE ${s}.events (LIKE ${s}."${first}" INCLUDING DEFAULTS) PARTITION BY RANGE (global_position)`);
  await sql.query(`ALTER TABLE ${s}.events ADD CONSTRAINT events_partitioned_pkey PRIMARY KEY (global_position)`);
  await sql.query(`CREATE INDEX events_partitioned_created_at_brin ON ${s}.events USING brin (created_at)`);
  for (const trigger of triggers) await sql.query(trigger.def);
  await sql.query(`ALTER TABLE ${s}.events ATTACH PARTITION ${s}."${first}" FOR VALUES FROM (0) TO (${boundary})`);
  await sql.query(`INSERT INTO ${s}.event_partitions (lower, upper, name) VALUES (0, $1, $2)`, [boundary, first]);
}
