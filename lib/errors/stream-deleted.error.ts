import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * The stream was deleted (it ends with a `StreamDeleted` tombstone): it cannot be loaded, and a
 * command to its aggregate stores nothing, unless the aggregate allows re-creation; an append to
 * the store expecting `any` or `stream_exists` stores nothing either. A load at a point in time
 * fails with it at or after the tombstone, and before it once a hard delete removed the events there.
 */
export class StreamDeletedError extends EventSourcingError {
  static readonly code = 'STREAM_DELETED';
  constructor(
    readonly streamId: string,
    /** Version of the tombstone: the stream's version stays reserved. */
    readonly version: number,
    /** What it means for the caller; by default, for a command or a load of the current state. */
    consequence = `nothing more is written to it. To start it anew, declare its aggregate with @Aggregate({ onDeleted: 'recreate' }), or append to the store at expected version ${version}`,
  ) {
    super(StreamDeletedError.code, `Stream '${streamId}' was deleted at version ${version}: ${consequence}`);
  }
}

/** True when `error` is a {@link StreamDeletedError}. */
export const isStreamDeleted = codeGuard<StreamDeletedError>(StreamDeletedError.code);
