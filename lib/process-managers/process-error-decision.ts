import { ConfigurationError } from '../errors/configuration.error.js';
import { shown } from '../event-store/store-strings.js';

/**
 * What a process manager's `onError` decided about a command that failed:
 * - `retry`: send the same command again (same command id) after `delay` ms;
 * - `skip`: give up on it and on the commands after it; the instance goes on with its next event;
 * - `continue`: send `commands` instead of the failed one and those after it (a compensation, say), and go on;
 * - `stop`: end the instance: its state and pending scheduled commands are deleted.
 */
export type ProcessErrorDecision =
  { decision: 'retry'; delay: number } | { decision: 'skip' } | { decision: 'continue'; commands: object[] } | { decision: 'stop' };

/** Builds {@link ProcessErrorDecision}s: `return ProcessErrorDecision.retry(500)`. */
export const ProcessErrorDecision = {
  retry: (delay = 0): ProcessErrorDecision => ({ decision: 'retry', delay }),
  skip: (): ProcessErrorDecision => ({ decision: 'skip' }),
  continueWith: (...commands: object[]): ProcessErrorDecision => ({ decision: 'continue', commands }),
  stop: (): ProcessErrorDecision => ({ decision: 'stop' }),
} as const;

/** What `onError` is told besides the error and the command. */
export interface ProcessErrorContext {
  processId: string;
  /** How many times this command has failed, this failure included. */
  attempt: number;
  /** The event whose step sent the command; absent for a scheduled command. */
  event?: object;
  /** The key of a scheduled command that failed when it fired. */
  scheduledKey?: string;
}

/**
 * Implement it on a `@ProcessManager` class to decide what happens when one of its commands
 * fails. Without it the subscription's error policy applies (scheduled commands: retried with
 * backoff up to `maxAttempts`, then dropped). Changes it makes to `this` are saved.
 */
export interface OnProcessError {
  onError(error: unknown, failedCommand: object, context: ProcessErrorContext): ProcessErrorDecision | Promise<ProcessErrorDecision>;
}

/** Checks what `onError` returned; anything else is a programming error named with its class. */
export function checkedDecision(owner: string, decision: unknown): ProcessErrorDecision {
  const d = decision as Partial<Record<string, unknown>> | undefined;
  const ok =
    (d?.decision === 'retry' && typeof d.delay === 'number' && Number.isFinite(d.delay) && d.delay >= 0) ||
    d?.decision === 'skip' ||
    d?.decision === 'stop' ||
    (d?.decision === 'continue' && Array.isArray(d.commands));
  if (!ok) {
    throw new ConfigurationError(
      `${owner}.onError returned ${shown(JSON.stringify(decision))}: return ProcessErrorDecision.retry(ms >= 0), .skip(), .continueWith(...commands) or .stop()`,
    );
  }
  return decision as ProcessErrorDecision;
}
