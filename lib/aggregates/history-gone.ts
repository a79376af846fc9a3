import { StreamDeletedError } from '../errors/stream-deleted.error.js';
import { StreamTruncatedError } from '../errors/stream-truncated.error.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { isTombstone } from '../event-store/stream-removal.js';

/** What a load at a point in time found where the events it needed were removed. */
export interface RemovedHistory {
  /** The point asked for, in words: `version 5`, or a time. */
  point: string;
  /** Why no usable snapshot holds the state there. */
  uncovered: string;
  /** The first event kept after the removed ones, if any: a tombstone there means a hard delete. */
  next?: Pick<RecordedEvent, 'eventType' | 'streamVersion'>;
  /** A version the removed events reach at least, for when none is kept after them. */
  removedUpTo: number;
}

/** The typed error of a load at a point in time whose events were removed: `StreamTruncatedError`, or `StreamDeletedError` after a hard delete. */
export function historyGone(streamId: string, { point, uncovered, next, removedUpTo }: RemovedHistory): Error {
  if (next && isTombstone(next)) {
    return new StreamDeletedError(
      streamId,
      next.streamVersion,
      `a hard delete removed the events before it, so it cannot be loaded as it was at ${point}`,
    );
  }
  return new StreamTruncatedError(
    streamId,
    next?.streamVersion ?? removedUpTo + 1,
    uncovered,
    `It cannot be loaded as it was at ${point}: only the states from its snapshot's version on remain; restore the removed events from a backup to look further back`,
  );
}
