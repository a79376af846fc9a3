import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * An `@Execute` method produced an event its aggregate has no `@Apply` method for: the state would
 * not show it (an order paid once would still look unpaid), so nothing was stored.
 */
export class MissingApplyError extends EventSourcingError {
  static readonly code = 'MISSING_APPLY';
  constructor(
    readonly aggregateType: string,
    readonly eventType: string,
    eventClass: string,
  ) {
    super(
      MissingApplyError.code,
      `${aggregateType} produced ${eventType}, which it has no @Apply method for; nothing was stored. ` +
        `To fix: add an @Apply(${eventClass}) method to ${aggregateType}, or, if its state truly does not depend on the event, ` +
        `declare @Aggregate({ ..., unhandledEvents: 'ignore' })`,
    );
  }
}

/** True when `error` is a {@link MissingApplyError}. */
export const isMissingApply = codeGuard<MissingApplyError>(MissingApplyError.code);
