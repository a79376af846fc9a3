import type { SqlExecutor } from '../../lib/event-store/sql-executor.interface.js';

/**
 * Resolves once at least `count` statements whose text is LIKE `queryLike` wait for a lock: how a
 * test knows that statements it started queue in the order it started them.
 */
export async function lockWaiters(sql: SqlExecutor, queryLike: string, count = 1): Promise<void> {
  for (;;) {
    const { rows } = await sql.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [queryLike]);
    if (rows.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
