import type { Migration } from './migration.interface.js';
import { appendGroupFunction } from './migration-v10-grouped-append.js';
import { appendFunction, appendWithCommandFunction } from './sql-append-functions.js';

/**
 * The records of a partitioned events table (see `event-partitions.ts`), kept whether the store is
 * partitioned or not so every node reads the same schema:
 * - `event_partitions`: each range of global positions with the table holding it, and where the
 *   table went when the books were closed on it. The catalogue knows the attached partitions too,
 *   but not the archived ones, nor their bounds in a form a query can compare.
 * - `closed_books`: each cut made by closing the books. Every position below the highest one is
 *   gone from the events table; readers of all events start there.
 * - `closed_streams`: the last version below the cut of each stream that had events there. The
 *   append functions are replaced to read a stream's version from it when none of its events is
 *   left (see `lastVersion`), so the stream goes on at the next version, not at 1 again.
 */
export const closedBooksMigration: Migration = {
  version: 11,
  name: 'event partitions and closed books',
  statements: ({ quoted: s }) => [
    `CREATE TABLE ${s}.event_partitions (
       lower bigint PRIMARY KEY,
       upper bigint NOT NULL,
       name text NOT NULL,
       archived_in text,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE ${s}.closed_books (
       before_position bigint PRIMARY KEY,
       closed_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE ${s}.closed_streams (
       stream_id text PRIMARY KEY,
       stream_version integer NOT NULL
     )`,
    appendFunction(s, 11),
    appendWithCommandFunction(s, 11),
    appendGroupFunction(s, 11),
  ],
};
