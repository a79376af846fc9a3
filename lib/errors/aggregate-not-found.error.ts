import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** The requested aggregate has no events yet (or, for a load at a point in time, none by then). */
export class AggregateNotFoundError extends EventSourcingError {
  static readonly code = 'AGGREGATE_NOT_FOUND';
  constructor(
    readonly streamId: string,
    /** When loading at a point in time: which one, and when the stream began. */
    detail?: string,
  ) {
    super(AggregateNotFoundError.code, `Aggregate stream '${streamId}' has no events${detail ? ` ${detail}` : ''}`);
  }
}

/** True when `error` is a {@link AggregateNotFoundError}. */
export const isAggregateNotFound = codeGuard<AggregateNotFoundError>(AggregateNotFoundError.code);
