import { booksFloor } from './sql-all-stream-reader.js';
import { EVENT_COLUMNS } from './sql-event-rows.js';
import { filterPredicate } from './sql-filter-predicate.js';
import type { SqlSchema } from './sql-schema.js';

const WANTED = filterPredicate(4);

/**
 * A read inside a settled range (every position up to `$2` final): the wanted rows after `$1`, up
 * to `$2`, at most `$6`, as a hand-written filtered keyset read. A gap there is final, so no count
 * or scan for gaps is needed; a filter of nulls passes every row.
 */
export function settledReadStatement(events: string): string {
  return `SELECT ${EVENT_COLUMNS} FROM ${events}
           WHERE global_position > $1 AND global_position <= $2 AND ${filterPredicate(3)}
           ORDER BY global_position LIMIT $6`;
}

/**
 * The catch-up read: positions `$1 < p <= $1 + $2`. One snapshot gives the wanted rows of that
 * range (at most `$7`, as a hand-written filtered keyset read would) and how many rows of the range
 * lie above the final fence's reach `$3`, with the highest position in it. The count is an
 * index-only scan of the primary key, so the range costs little more than the filtered read alone.
 * The caller delivers the rows only when the count proves there is no gap above the fence.
 */
export function rangeReadStatement(events: string): string {
  return `WITH span AS (
        SELECT count(*) FILTER (WHERE global_position > $3::bigint) AS open_rows, max(global_position) AS last_scanned
          FROM ${events} WHERE global_position > $1::bigint AND global_position <= $1::bigint + $2::bigint
      )
      SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin, s.open_rows, s.last_scanned, e.*
        FROM span AS s LEFT JOIN LATERAL (
          SELECT ${EVENT_COLUMNS} FROM ${events}
           WHERE global_position > $1::bigint AND global_position <= $1::bigint + $2::bigint AND ${WANTED}
           ORDER BY global_position LIMIT $7
        ) AS e ON true`;
}

/**
 * The careful read: `$2` rows after `$1` (or after the cut of closed books, when higher) in order,
 * marking each gap that reaches above the final fence `$3`; the wanted rows (at most `$7`) before
 * the first such gap are returned, with how far that open run reaches and how many of its rows passed.
 */
export function gapAwareStatement(schema: SqlSchema): string {
  const events = `${schema.quoted}.events`;
  return `WITH floor AS MATERIALIZED (
        SELECT ${booksFloor(schema, '$1')} AS after
      ), scanned AS MATERIALIZED (
        SELECT global_position AS position, ${WANTED} AS wanted,
               global_position - lag(global_position, 1, (SELECT after FROM floor)) OVER (ORDER BY global_position) > 1
                 AND global_position - 1 > $3::bigint AS gap
          FROM ${events} WHERE global_position > (SELECT after FROM floor) ORDER BY global_position LIMIT $2
      ), open AS (
        SELECT position, wanted FROM (SELECT position, wanted, bool_or(gap) OVER (ORDER BY position) AS blocked FROM scanned) AS s
         WHERE NOT blocked
      ), page AS (
        SELECT position FROM open WHERE wanted ORDER BY position LIMIT $7
      )
      SELECT x.*, e.* FROM (
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin, (SELECT after FROM floor)::text AS floor,
               (SELECT count(*) FROM scanned) AS scanned,
               (SELECT max(position) FROM scanned) AS last_scanned,
               (SELECT max(position) FROM open) AS last_open,
               (SELECT count(*) FROM open) AS open_rows,
               (SELECT count(*) FROM open WHERE wanted) AS open_wanted
      ) AS x LEFT JOIN LATERAL (
        SELECT ${EVENT_COLUMNS} FROM ${events} WHERE global_position IN (SELECT position FROM page) ORDER BY global_position
      ) AS e ON true`;
}
