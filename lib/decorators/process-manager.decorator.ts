import { PROCESS_MANAGER_METADATA } from '../constants.js';
import type { SubscriptionMetadata, SubscriptionOptions } from './subscription-options.js';

/**
 * Marks a class as a process manager: one instance per process id, created by a `@StartedBy`
 * event, moved by `@ContinuedBy` events and ended by `@StoppedBy` events. Its methods update
 * `this` and return the commands to dispatch next. Its state is persisted after every event.
 */
export function ProcessManager(options: SubscriptionOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(PROCESS_MANAGER_METADATA, { ...options, kind: 'process-manager' } satisfies SubscriptionMetadata, target);
  };
}
