import type { Migration } from './migration.interface.js';
import { appendGroupFunction } from './migration-v10-grouped-append.js';
import { appendFunction, appendWithCommandFunction } from './sql-append-functions.js';

/**
 * The append functions refuse to write after a deleted stream's tombstone (see `meetsTombstone`),
 * so code appending to the store directly meets the deletion as a command does: an append with
 * `any` or `stream_exists` fails with `StreamDeletedError` and writes nothing; an append at the
 * tombstone's exact version re-creates the stream. Nodes not yet upgraded keep appending through
 * the same functions, so the rule holds for every node from the moment this commits. The same
 * forms read a stream's version from its last index entry (`latestVersion`), whatever its length.
 */
export const deletedStreamsMigration: Migration = {
  version: 14,
  name: 'appends refused after a deletion',
  statements: ({ quoted: s }) => [appendFunction(s, 14), appendWithCommandFunction(s, 14), appendGroupFunction(s, 14)],
};
