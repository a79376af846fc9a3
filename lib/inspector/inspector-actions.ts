import type { ParkedSelection } from '../event-store/parked-events.interface.js';
import type { ResetTarget, SubscriptionControlState } from '../event-store/subscription-control.interface.js';

/**
 * What the inspector's actions ask of the subscriptions; each source binds it to its store's
 * `SubscriptionManager`, which stores each request so whichever node owns the subscription obeys.
 */
export interface InspectorActions {
  pause(name: string): Promise<SubscriptionControlState>;
  resume(name: string): Promise<SubscriptionControlState>;
  reset(name: string, options?: { to?: ResetTarget }): Promise<SubscriptionControlState>;
  retryParked(name: string, selection: ParkedSelection): Promise<number>;
  discardParked(name: string, selection: ParkedSelection): Promise<number>;
}

/** Injection token of whether the application enabled the inspector's actions. */
export const INSPECTOR_ACTIONS_ENABLED = Symbol('INSPECTOR_ACTIONS_ENABLED');
