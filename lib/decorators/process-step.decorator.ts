import type { Type } from '@nestjs/common';
import { PROCESS_STEP_METADATA } from '../constants.js';
import { addToHandlerMap } from './handler-map.js';

/** How an event moves a process manager instance. */
export type ProcessStepKind = 'start' | 'continue' | 'stop';

/** The instance(s) an event moves: one id, several, or none. */
export type ProcessIds = string | readonly string[] | undefined | null;

/** A process manager method bound to one event type. */
export interface ProcessStep {
  kind: ProcessStepKind;
  method: string | symbol;
  /**
   * Picks the process id out of the event, or several: the step then runs for each of them.
   * `undefined` (or an empty list) means the event belongs to no process.
   */
  processId(event: object): ProcessIds;
}

const step =
  (kind: ProcessStepKind) =>
  <E extends object>(event: Type<E>, processId: (event: E) => ProcessIds): MethodDecorator =>
  (target, method) =>
    addToHandlerMap<ProcessStep>(PROCESS_STEP_METADATA, target, event, { kind, method, processId });

/** `event` starts a new instance (or continues an existing one with the same id). */
export const StartedBy = step('start');
/** `event` moves an existing instance; ignored when none exists. */
export const ContinuedBy = step('continue');
/** `event` is handled, then the instance ends and its state is deleted. */
export const StoppedBy = step('stop');
