import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** An aggregate was asked for at a version its stream has not reached yet. */
export class VersionNotReachedError extends EventSourcingError {
  static readonly code = 'VERSION_NOT_REACHED';
  constructor(
    readonly streamId: string,
    /** The version asked for. */
    readonly requested: number,
    /** The stream's version now. */
    readonly version: number,
  ) {
    super(
      VersionNotReachedError.code,
      `Stream '${streamId}' has not reached version ${requested}: it is at version ${version}. ` +
        `Ask for a version from 1 to ${version}, or load it without 'at' for its current state`,
    );
  }
}

/** True when `error` is a {@link VersionNotReachedError}. */
export const isVersionNotReached = codeGuard<VersionNotReachedError>(VersionNotReachedError.code);
