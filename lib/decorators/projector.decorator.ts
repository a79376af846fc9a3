import { SUBSCRIPTION_METADATA } from '../constants.js';
import type { ProjectorOptions, SubscriptionMetadata } from './subscription-options.js';

/**
 * Marks a provider as a projector: an event handler that builds a read model. On SQL stores
 * each `@On` method gets `context.sql`, a transaction that also moves the checkpoint, so the
 * read-model change and the checkpoint commit together. With `inline: true` the methods run in
 * the transaction of the append itself instead.
 */
export function Projector(options: ProjectorOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SUBSCRIPTION_METADATA, { ...options, kind: 'projector' } satisfies SubscriptionMetadata, target);
  };
}
