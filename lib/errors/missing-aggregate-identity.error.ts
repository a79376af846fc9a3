import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** The command lacks the field that identifies its aggregate instance. */
export class MissingAggregateIdentityError extends EventSourcingError {
  static readonly code = 'MISSING_AGGREGATE_IDENTITY';
  constructor(
    readonly commandName: string,
    readonly identity: string,
  ) {
    super(
      MissingAggregateIdentityError.code,
      `Command '${commandName}' must carry a non-empty string or number in '${identity}' to find its aggregate`,
    );
  }
}

/** True when `error` is a {@link MissingAggregateIdentityError}. */
export const isMissingAggregateIdentity = codeGuard<MissingAggregateIdentityError>(MissingAggregateIdentityError.code);
