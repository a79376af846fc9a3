/**
 * Testing helpers: run aggregates, projectors and process managers without a store or a module,
 * and wait for what an application does in the background.
 */

/** Given past events, when a command, then the events or the error it produced. */
export { AggregateScenario, ScenarioOutcome } from './aggregate-scenario.js';
/** Given events, feeds a projector's handlers as its subscription would, in order. */
export { ProjectorScenario, type ProjectorScenarioOptions } from './projector-scenario.js';
/** Given events, runs a process manager and collects the commands it dispatched or scheduled. */
export {
  type DispatchedCommand,
  type PendingCommand,
  ProcessManagerScenario,
  type ProcessManagerScenarioOptions,
} from './process-manager-scenario.js';
/** An event given to a scenario with the envelope it would have been recorded with. */
export type { GivenEnvelope } from './scenario-history.js';
/** Resolves with the first stored event that matches, reading the store from a position. */
export { type EventMatcher, waitForEvent, type WaitForEventOptions } from './wait-for-event.js';
/** Resolves once a subscription's handler has processed an event up to a position. */
export { waitForHandler, type WaitForHandlerOptions } from './wait-for-handler.js';
