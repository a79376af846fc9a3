import type { AppendOptions } from '../command-record.js';
import type { AppendResult } from '../recorded-event.js';
import { type AppendBatch, appendEvents } from './sql-append.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * The append of {@link appendEvents} in a transaction of its own, followed by `work` (the append's `inTransaction`)
 * before the commit: the events and what that work writes commit together or not at all. The
 * append statement comes first, so the transaction id is taken before any global position is drawn,
 * as the all-stream reader requires; readers wait at this append's gap until the commit.
 */
export function appendInTransaction(
  driver: SqlDriver,
  schema: SqlSchema,
  batch: AppendBatch,
  options: AppendOptions,
  work: NonNullable<AppendOptions['inTransaction']>,
): Promise<AppendResult> {
  return driver.transaction(async (sql) => {
    const result = await appendEvents({ prepared: (_name, text, params) => sql.query(text, params) }, schema, batch, options);
    await work(sql, result.events);
    return result;
  });
}
