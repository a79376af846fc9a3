import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * An inline projector threw while its events were being appended: the append's transaction was
 * rolled back, so neither the events nor any read-model change were written. `cause` is the
 * projector's error.
 */
export class InlineProjectionFailedError extends EventSourcingError {
  static readonly code = 'INLINE_PROJECTION_FAILED';
  constructor(
    readonly projector: string,
    readonly streamId: string,
    cause: unknown,
  ) {
    super(
      InlineProjectionFailedError.code,
      `Inline projector '${projector}' failed on stream '${streamId}': ${cause instanceof Error ? cause.message : String(cause)}; the append was rolled back and nothing was written`,
      { cause },
    );
  }
}

/** True when `error` is an {@link InlineProjectionFailedError}. */
export const isInlineProjectionFailed = codeGuard<InlineProjectionFailedError>(InlineProjectionFailedError.code);
