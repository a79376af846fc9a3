import type { SqlExecutor } from '../sql-executor.interface.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import { GRANT_COLUMNS, type GrantRow, grantsFor, type LeaseRelease, type LeaseRequest } from './sql-lease-statements.js';
import type { SqlSchema } from './sql-schema.js';

/** The row is free when nobody holds it, or its holder let it expire (by the database's clock). */
const FREE = 's.lease_epoch IS NULL OR s.lease_expires_at <= clock_timestamp()';
/** An expiry `$n` milliseconds from now, by the database's clock. */
const expiry = (n: number) => `clock_timestamp() + make_interval(secs => $${n}::double precision / 1000)`;

/**
 * For each requested subscription whose row is free, raises the epoch (fencing off writes of any
 * previous holder), names the owner and holds the row for `timeoutMs`, all in ONE statement that
 * needs no session: it works through a transaction-mode pooler. Concurrent takers queue on the
 * row lock and see each other's grant. Answers per request, in order, the row as granted, or
 * undefined when another process holds it.
 */
export async function takeRows(
  sql: SqlExecutor,
  schema: SqlSchema,
  requests: LeaseRequest[],
  timeoutMs: number,
): Promise<Array<LeaseGrant | undefined>> {
  const { rows } = await sql.query<GrantRow>(
    `INSERT INTO ${schema.quoted}.subscriptions AS s (name, owner, lease_epoch, lease_expires_at)
       SELECT r.name, r.owner, 1, ${expiry(3)} FROM unnest($1::text[], $2::text[]) AS r(name, owner)
       ON CONFLICT (name) DO UPDATE
         SET epoch = s.epoch + 1, owner = EXCLUDED.owner, lease_epoch = s.epoch + 1, lease_expires_at = EXCLUDED.lease_expires_at, updated_at = now()
         WHERE ${FREE}
       RETURNING ${GRANT_COLUMNS}`,
    [requests.map((r) => r.name), requests.map((r) => r.owner), timeoutMs],
  );
  return grantsFor(requests, rows);
}

/**
 * Holds every lease in `held` for another `timeoutMs`, in one statement; answers the names still
 * held. A lease missing from the answer was taken over after it expired: its holder has lost it.
 */
export async function renewRows(sql: SqlExecutor, schema: SqlSchema, held: LeaseRelease[], timeoutMs: number): Promise<Set<string>> {
  const { rows } = await sql.query<{ name: string }>(
    `UPDATE ${schema.quoted}.subscriptions AS s SET lease_expires_at = ${expiry(3)}
       FROM unnest($1::text[], $2::bigint[]) AS r(name, epoch) WHERE s.name = r.name AND s.lease_epoch = r.epoch
     RETURNING s.name`,
    [held.map((r) => r.name), held.map((r) => r.epoch), timeoutMs],
  );
  return new Set(rows.map((row) => row.name));
}

/**
 * Frees the rows still held under the epochs they were granted (a reset or restart raised the
 * epoch since, and the holder must still let go) and stops naming their owners, in one statement.
 */
export async function releaseRows(sql: SqlExecutor, schema: SqlSchema, releases: LeaseRelease[]): Promise<void> {
  await sql.query(
    `UPDATE ${schema.quoted}.subscriptions AS s SET owner = NULL, lease_epoch = NULL, lease_expires_at = NULL
       FROM unnest($1::text[], $2::bigint[]) AS r(name, epoch) WHERE s.name = r.name AND s.lease_epoch = r.epoch`,
    [releases.map((r) => r.name), releases.map((r) => r.epoch)],
  );
}
