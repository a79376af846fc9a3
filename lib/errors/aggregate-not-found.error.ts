import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** The requested aggregate has no events yet. */
export class AggregateNotFoundError extends EventSourcingError {
  static readonly code = 'AGGREGATE_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(AggregateNotFoundError.code, `Aggregate stream '${streamId}' has no events`);
  }
}

/** True when `error` is a {@link AggregateNotFoundError}. */
export const isAggregateNotFound = codeGuard<AggregateNotFoundError>(AggregateNotFoundError.code);
