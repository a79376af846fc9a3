import { replayAfterReset, type StoredProgress } from '../progress-write.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * The replay window of a `subscriptions` row (migration 16): `replay_after` is the position its
 * last reset moved it to, `replay_up_to` the furthest it had got before any reset. They are
 * columns of the row itself so that a grant returns the window of the very row version it took:
 * one waiting on a reset's lock comes back with that reset's checkpoint and window together.
 */
export const REPLAY_COLUMNS = 'replay_after, replay_up_to';

/** The columns {@link REPLAY_COLUMNS} names. */
export interface ReplayColumns {
  replay_after: string | number | null;
  replay_up_to: string | number | null;
}

/** A row's checkpoint, finished positions and replay window. */
export const progressOf = (row: { position: string | number; finished: Array<string | number> } & ReplayColumns): StoredProgress => {
  const progress: StoredProgress = { checkpoint: Number(row.position), finished: row.finished.map(Number) };
  if (row.replay_up_to !== null) progress.replay = { after: Number(row.replay_after), upTo: Number(row.replay_up_to) };
  return progress;
};

/** Which rows a reset moves, and whether their holders must start over. */
export interface ResetRows {
  /** SQL condition on `subscriptions`, with its parameters from `$1`. */
  where: string;
  params: unknown[];
  /** Raises their epochs: holders other than the resetting lease lose them. */
  raiseEpoch: boolean;
}

/**
 * Moves the rows `rows` picks to checkpoint `position`, in the caller's transaction: finished
 * positions and pending reset requests go, and each row keeps as its replay window how far it had
 * got ({@link replayAfterReset}). The rows are locked before their progress is read, so no write
 * of a holder lands between the read and the move. Answers the names moved.
 */
export async function resetRows(sql: SqlExecutor, schema: SqlSchema, position: number, rows: ResetRows): Promise<string[]> {
  const s = schema.quoted;
  const { rows: before } = await sql.query<{ name: string; position: string; finished: string[] } & ReplayColumns>(
    `SELECT name, position, finished, ${REPLAY_COLUMNS} FROM ${s}.subscriptions WHERE ${rows.where} ORDER BY name FOR UPDATE`,
    rows.params,
  );
  if (before.length === 0) return [];
  const windows = before.map((row) => replayAfterReset(progressOf(row), position));
  await sql.query(
    `UPDATE ${s}.subscriptions AS s SET position = $1, reset_to = NULL, finished = '{}', replay_after = w.after, replay_up_to = w.up_to,
            ${rows.raiseEpoch ? 'epoch = s.epoch + 1,' : ''} updated_at = now()
       FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS w(name, after, up_to) WHERE s.name = w.name`,
    [position, before.map((row) => row.name), windows.map((window) => window.after), windows.map((window) => window.upTo)],
  );
  return before.map((row) => row.name);
}
