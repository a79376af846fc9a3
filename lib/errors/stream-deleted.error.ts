import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * The stream was deleted (it ends with a `StreamDeleted` tombstone): it cannot be loaded, and a
 * command to its aggregate stores nothing, unless the aggregate allows re-creation.
 */
export class StreamDeletedError extends EventSourcingError {
  static readonly code = 'STREAM_DELETED';
  constructor(
    readonly streamId: string,
    /** Version of the tombstone: the stream's version stays reserved. */
    readonly version: number,
  ) {
    super(
      StreamDeletedError.code,
      `Stream '${streamId}' was deleted at version ${version}: nothing more is written to it. To start it anew, declare its aggregate with @Aggregate({ onDeleted: 'recreate' })`,
    );
  }
}

/** True when `error` is a {@link StreamDeletedError}. */
export const isStreamDeleted = codeGuard<StreamDeletedError>(StreamDeletedError.code);
