import type { ReplayWindow, StoredProgress } from '../progress-write.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * Prefix of the `subscriptions` row that keeps a subscription's replay window: `reset_to` is the
 * position its last reset moved it to, `position` the furthest it had got before any reset. Like
 * the library's `$` leases it is no subscription; operator lists leave it out.
 */
export const REPLAY_ROW_PREFIX = '$replay-';

/** The replay columns {@link replayColumns} selects. */
export interface ReplayColumns {
  replay_after: string | number | null;
  replay_up_to: string | number | null;
}

/** Select-list (or RETURNING) columns with the replay window of the subscription named by the SQL expression `name`. */
export function replayColumns(schema: SqlSchema, name: string): string {
  const row = (column: string) => `(SELECT r.${column} FROM ${schema.quoted}.subscriptions AS r WHERE r.name = '${REPLAY_ROW_PREFIX}' || ${name})`;
  return `${row('reset_to')} AS replay_after, ${row('position')} AS replay_up_to`;
}

/** A row's checkpoint, finished positions and replay window. */
export const progressOf = (row: { position: string | number; finished: Array<string | number> } & ReplayColumns): StoredProgress => {
  const progress: StoredProgress = { checkpoint: Number(row.position), finished: row.finished.map(Number) };
  if (row.replay_up_to !== null) progress.replay = { after: Number(row.replay_after), upTo: Number(row.replay_up_to) };
  return progress;
};

/** Stores the replay window a reset of subscription `name` left, in the reset's transaction. */
export async function writeReplayWindow(sql: SqlExecutor, schema: SqlSchema, name: string, window: ReplayWindow): Promise<void> {
  await sql.query(
    `INSERT INTO ${schema.quoted}.subscriptions (name, position, reset_to) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, reset_to = EXCLUDED.reset_to, updated_at = now()`,
    [REPLAY_ROW_PREFIX + name, window.upTo, window.after],
  );
}
