import { SUBSCRIPTION_METADATA } from '../constants.js';
import type { HandlerSubscriptionOptions, SubscriptionMetadata } from './subscription-options.js';

/**
 * Marks a provider as a projector: an event handler that builds a read model. On SQL stores
 * each `@On` method gets `context.sql`, a transaction that also moves the checkpoint, so the
 * read-model change and the checkpoint commit together.
 */
export function Projector(options: HandlerSubscriptionOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SUBSCRIPTION_METADATA, { ...options, kind: 'projector' } satisfies SubscriptionMetadata, target);
  };
}
