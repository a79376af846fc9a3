import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** A checkpoint write came from a process that no longer owns the subscription. */
export class SubscriptionLostError extends EventSourcingError {
  static readonly code = 'SUBSCRIPTION_LOST';
  constructor(readonly subscription: string) {
    super(SubscriptionLostError.code, `Subscription '${subscription}' is no longer held by this process; its checkpoint was not moved`);
  }
}

/** True when `error` is a {@link SubscriptionLostError}. */
export const isSubscriptionLost = codeGuard<SubscriptionLostError>(SubscriptionLostError.code);
