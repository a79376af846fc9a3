/** Reflect-metadata keys written by the decorators and read by the explorer. */
export const DOMAIN_EVENT_METADATA = 'event-sourcing:domain-event';
export const AGGREGATE_METADATA = 'event-sourcing:aggregate';
export const EXECUTE_METADATA = 'event-sourcing:execute';
export const APPLY_METADATA = 'event-sourcing:apply';
export const SUBSCRIPTION_METADATA = 'event-sourcing:subscription';
export const ON_EVENT_METADATA = 'event-sourcing:on-event';
export const PROCESS_MANAGER_METADATA = 'event-sourcing:process-manager';
export const PROCESS_STEP_METADATA = 'event-sourcing:process-step';
export const BEFORE_RESET_METADATA = 'event-sourcing:before-reset';
export const ON_BATCH_METADATA = 'event-sourcing:on-batch';
export const SKIP_REPLAY_METADATA = 'event-sourcing:skip-replay';
