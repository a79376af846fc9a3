import { BEFORE_RESET_METADATA } from '../constants.js';

/**
 * Marks the projector method that clears its read model when the subscription is reset. It
 * receives a `ResetContext`; on SQL stores, `context.sql` is the transaction that also moves the
 * checkpoint, so a crash leaves both reset or neither. It runs on the node that owns the
 * subscription, also when the reset was asked for elsewhere. When it throws, nothing is reset and
 * the subscription stops until the reset is asked for again or the subscription is restarted.
 */
export function BeforeReset(): MethodDecorator {
  return (target, propertyKey) => {
    Reflect.defineMetadata(BEFORE_RESET_METADATA, propertyKey, target.constructor);
  };
}
