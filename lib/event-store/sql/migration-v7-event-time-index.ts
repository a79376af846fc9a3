import type { Migration } from './migration.interface.js';

/**
 * Finds where a point in time falls among the events (a reset or start "from a time"). The events
 * table only grows, so its pages lie in time order and a BRIN index, a few pages for millions of
 * rows, narrows the search to the ranges that can hold the time; a B-tree would cost every append.
 */
export const eventTimeIndexMigration: Migration = {
  version: 7,
  name: 'event time index',
  statements: ({ quoted: s }) => [`CREATE INDEX events_created_at_brin ON ${s}.events USING brin (created_at)`],
};
