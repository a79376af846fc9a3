import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A control request (reset, pause, resume, restart, progress) named a subscription the store has
 * no record of: none by that name ever ran against it. Nothing was written.
 */
export class UnknownSubscriptionError extends EventSourcingError {
  static readonly code = 'UNKNOWN_SUBSCRIPTION';
  constructor(readonly subscription: string) {
    super(
      UnknownSubscriptionError.code,
      `No subscription named '${subscription}' has run on this event store; check the name (see listControl()) or start the application that declares it first`,
    );
  }
}

/** True when `error` is an {@link UnknownSubscriptionError}. */
export const isUnknownSubscription = codeGuard<UnknownSubscriptionError>(UnknownSubscriptionError.code);
