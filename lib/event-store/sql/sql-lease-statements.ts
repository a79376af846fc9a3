import type { SqlExecutor } from '../sql-executor.interface.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';
import { COLUMNS, type ControlRow, toState } from './sql-subscription-control.js';
import type { SqlSchema } from './sql-schema.js';
import { progressOf, REPLAY_COLUMNS, type ReplayColumns } from './sql-replay-windows.js';

/** A row as a lease grant statement returns it. */
export type GrantRow = ControlRow & ReplayColumns & { finished: Array<string | number> };

/** The RETURNING list of a grant statement: the granted row version's own columns only (see {@link REPLAY_COLUMNS}). */
export const GRANT_COLUMNS = `${COLUMNS}, finished, ${REPLAY_COLUMNS}`;

/** Answers per request, in order, the row granted for it, or undefined when none was. */
export function grantsFor(requests: LeaseRequest[], rows: GrantRow[]): Array<LeaseGrant | undefined> {
  const granted = new Map(rows.map((row): [string, LeaseGrant] => [row.name, { control: toState(row), progress: progressOf(row) }]));
  return requests.map((r) => granted.get(r.name));
}

/** A lease asked for: the subscription and the node to name as its owner. */
export interface LeaseRequest {
  name: string;
  owner: string | null;
}

/** A lease given up: the subscription and the epoch its owner held. */
export interface LeaseRelease {
  name: string;
  epoch: number;
}

/** Prefix of the advisory lock key of every subscription of `schema` (the key hashes prefix + name). */
export const lockKeyPrefix = (schema: SqlSchema): string => `nestjs-event-sourcing:subscription:${schema.name}:`;

/**
 * Tries the lock of every requested subscription and, for each one that was free, raises the owner
 * epoch (fencing off writes of any previous owner) and names the owner, all in ONE statement on
 * `session`, the connection that then holds the locks. Answers per request, in order, the row as
 * granted, or undefined when another process holds the lock. When it throws, some locks may be
 * held: the caller gives them back.
 */
export async function lockAndTake(session: SqlExecutor, schema: SqlSchema, requests: LeaseRequest[]): Promise<Array<LeaseGrant | undefined>> {
  const { rows } = await session.query<GrantRow>(
    `INSERT INTO ${schema.quoted}.subscriptions AS s (name, owner)
       SELECT r.name, r.owner FROM unnest($1::text[], $2::text[]) AS r(name, owner)
        WHERE pg_try_advisory_lock(hashtextextended($3 || r.name, 0))
       ON CONFLICT (name) DO UPDATE SET epoch = s.epoch + 1, owner = EXCLUDED.owner, updated_at = now()
       RETURNING ${GRANT_COLUMNS}`,
    [requests.map((r) => r.name), requests.map((r) => r.owner), lockKeyPrefix(schema)],
  );
  return grantsFor(requests, rows);
}

/**
 * Stops naming the owners (where their epoch still holds the row) and gives the locks back, in ONE
 * statement on `session`, the connection that holds them. A standby that takes a lock before the
 * owner is cleared waits for that row, then raises the epoch: the clearing never touches its row.
 */
export async function unlockAndClear(session: SqlExecutor, schema: SqlSchema, releases: LeaseRelease[]): Promise<void> {
  await session.query(
    `WITH released AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS r(name, epoch)),
          cleared AS (UPDATE ${schema.quoted}.subscriptions AS s SET owner = NULL FROM released r WHERE s.name = r.name AND s.epoch = r.epoch)
     SELECT pg_advisory_unlock(hashtextextended($3 || name, 0)) FROM released`,
    [releases.map((r) => r.name), releases.map((r) => r.epoch), lockKeyPrefix(schema)],
  );
}

/** Clears the owners only, on any connection: their locks went with a connection that died. */
export async function clearOwners(sql: SqlExecutor, schema: SqlSchema, releases: LeaseRelease[]): Promise<void> {
  await sql.query(
    `UPDATE ${schema.quoted}.subscriptions AS s SET owner = NULL
       FROM unnest($1::text[], $2::bigint[]) AS r(name, epoch) WHERE s.name = r.name AND s.epoch = r.epoch`,
    [releases.map((r) => r.name), releases.map((r) => r.epoch)],
  );
}

/** Gives locks back (best effort: when the connection fails, its end drops them anyway). */
export async function unlock(session: SqlExecutor, schema: SqlSchema, names: string[]): Promise<void> {
  await session
    .query(`SELECT pg_advisory_unlock(hashtextextended($2 || name, 0)) FROM unnest($1::text[]) AS r(name)`, [names, lockKeyPrefix(schema)])
    .catch(() => undefined);
}
