import { SUBSCRIPTION_METADATA } from '../constants.js';
import type { HandlerSubscriptionOptions, SubscriptionMetadata } from './subscription-options.js';

/**
 * Marks a provider as an event handler: a named, checkpointed subscription to all events,
 * delivered at least once in global order to its `@On` methods.
 */
export function EventHandler(options: HandlerSubscriptionOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SUBSCRIPTION_METADATA, { ...options, kind: 'handler' } satisfies SubscriptionMetadata, target);
  };
}
