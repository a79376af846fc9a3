import { PROCESS_MANAGER_METADATA } from '../constants.js';
import type { PersonalDataOptions } from './personal-data.options.js';
import type { SubscriptionMetadata, SubscriptionOptions } from './subscription-options.js';

/** Options of {@link ProcessManager}. */
export interface ProcessManagerOptions extends SubscriptionOptions {
  /** Shape version of the stored state; raise it when the state's fields change meaning. @default 1 */
  stateVersion?: number;
  /**
   * Turns state stored at an earlier `stateVersion` (`fromVersion`, its fields as stored) into the
   * fields of the current version; called when such a state is read. Required with a `stateVersion`
   * above 1. State stored before state versions existed reads as version 1.
   */
  migrateState?: (state: Record<string, unknown>, fromVersion: number) => Record<string, unknown>;
  /**
   * Fields of the state holding personal data, and the state field naming their person: they are
   * stored encrypted with that person's key, so a forget reaches them as it reaches the events
   * (see docs/erasure-and-retention.md). @default none
   */
  personal?: PersonalDataOptions;
}

/** Resolved process-manager metadata. */
export type ProcessManagerMetadata = SubscriptionMetadata & Pick<ProcessManagerOptions, 'stateVersion' | 'migrateState' | 'personal'>;

/**
 * Marks a class as a process manager: one instance per process id, created by a `@StartedBy`
 * event, moved by `@ContinuedBy` events and ended by `@StoppedBy` events. Its methods update
 * `this` and return the commands to dispatch next. Its state is persisted after every event.
 */
export function ProcessManager(options: ProcessManagerOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(PROCESS_MANAGER_METADATA, { ...options, kind: 'process-manager' } satisfies ProcessManagerMetadata, target);
  };
}
