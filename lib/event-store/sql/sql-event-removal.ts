import type { RemoveEventsBefore } from '../remove-stream-events.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';

interface RemovalRow {
  removed: number | string;
  first_version: number | null;
  last_version: number | null;
}

/**
 * A stream's events below a version: counted for a dry run, else removed by the library's own
 * function (`remove_stream_events`, migration 13), the one way past the immutability trigger.
 */
export function sqlRemoveEventsBefore(driver: SqlDriver, schema: SqlSchema): RemoveEventsBefore {
  const events = `${schema.quoted}.events`;
  return async (streamId, before, dryRun) => {
    const { rows } = await driver.query<RemovalRow>(
      dryRun
        ? `SELECT count(*)::integer AS removed, min(stream_version) AS first_version, max(stream_version) AS last_version
             FROM ${events} WHERE stream_id = $1 AND stream_version < $2`
        : `SELECT removed, first_version, last_version FROM ${schema.quoted}.remove_stream_events($1, $2)`,
      [streamId, before],
    );
    const { removed, first_version: from, last_version: to } = rows[0];
    return Number(removed) ? { removed: Number(removed), removedVersions: { from: Number(from), to: Number(to) } } : { removed: 0 };
  };
}
