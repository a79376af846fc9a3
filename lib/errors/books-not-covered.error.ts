import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** Streams named in the message: enough to act on, not the whole list. */
const NAMED = 10;

/**
 * Closing the books was refused, nothing detached: streams with events below the cut have no
 * snapshot at or after their last version there, so their aggregates could no longer be loaded.
 * Snapshot them (load and save each aggregate) and close the books again.
 */
export class BooksNotCoveredError extends EventSourcingError {
  static readonly code = 'BOOKS_NOT_COVERED';
  constructor(
    /** The cut asked for: positions below it would have been archived. */
    readonly before: number,
    /** Streams without a covering snapshot (at most the first 100). */
    readonly streams: string[],
    /** How many streams lack one in all. */
    readonly uncovered: number,
  ) {
    super(
      BooksNotCoveredError.code,
      `Books not closed before position ${before}, nothing detached: ${uncovered} stream(s) with events there have no snapshot at or after their last version there ` +
        `(${streams.slice(0, NAMED).join(', ')}${uncovered > NAMED ? ', ...' : ''}). Save snapshots of these aggregates, then close the books again`,
    );
  }
}

/** True when `error` is a {@link BooksNotCoveredError}. */
export const isBooksNotCovered = codeGuard<BooksNotCoveredError>(BooksNotCoveredError.code);
