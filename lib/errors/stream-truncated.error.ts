import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * An aggregate's stream was truncated (its events before `firstVersion` were removed) and no
 * usable snapshot covers what was removed: loading it would give a wrong state, so it is refused.
 * A load at an earlier point in time than the history kept fails with it too.
 */
export class StreamTruncatedError extends EventSourcingError {
  static readonly code = 'STREAM_TRUNCATED';
  constructor(
    readonly streamId: string,
    /** The first version still stored. */
    readonly firstVersion: number,
    /** Why no snapshot covers it: none, or one this release passes over. */
    readonly reason: string,
    /** What to do instead; by default, for a load of the current state. */
    fix = `Load it with the release whose snapshot covers version ${firstVersion - 1} (same @Aggregate snapshotVersion), ` +
      `or restore the removed events from a backup; a snapshot must cover the truncation point before a stream is truncated`,
  ) {
    super(StreamTruncatedError.code, `Stream '${streamId}' was truncated: its events before version ${firstVersion} are gone and ${reason}. ${fix}`);
  }
}

/** True when `error` is a {@link StreamTruncatedError}. */
export const isStreamTruncated = codeGuard<StreamTruncatedError>(StreamTruncatedError.code);
