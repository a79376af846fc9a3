import type { AppendOptions } from '../command-record.js';
import type { AppendResult } from '../recorded-event.js';
import { type AppendBatch, type AppendedRow, appendResult, appendError, appendStatement } from './sql-append.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

/**
 * The append of `appendEvents` in a transaction of its own, followed by `work` (the append's
 * `inTransaction`) before the commit: the events and what that work writes commit together or
 * not at all. The append statement comes first, sent with BEGIN, so the transaction id is taken
 * before any global position is drawn, as the all-stream reader requires; readers wait at this
 * append's gap until the commit.
 */
export async function appendInTransaction(
  driver: SqlDriver,
  schema: SqlSchema,
  batch: AppendBatch,
  options: AppendOptions,
  work: NonNullable<AppendOptions['inTransaction']>,
): Promise<AppendResult> {
  let appended = false;
  try {
    return await driver.transactionFrom<AppendedRow, AppendResult>(appendStatement(schema, batch, options.command), async (sql, rows) => {
      appended = true;
      const result = appendResult(batch, rows);
      await work(sql, result.events);
      return result;
    });
  } catch (error) {
    // Only the append's own refusals are translated; what `work` or the commit threw stays as it is.
    throw appended ? error : appendError(error, batch, options);
  }
}
