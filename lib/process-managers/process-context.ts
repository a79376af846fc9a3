import { InvalidScheduleError } from '../errors/invalid-schedule.error.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { identifierProblem, shown } from '../event-store/store-strings.js';
import { type StoredEventContext, storedEventContextOf } from '../subscriptions/event-context.js';

/** When a scheduled command is due: at a moment, or a delay in ms from when the step runs. A moment already past is due at once. */
export type ScheduleTime = { at: Date } | { after: number };

/** What a process-manager step receives besides the event; a step returns its commands instead of dispatching them. */
export interface ProcessContext extends StoredEventContext {
  /** The instance this step runs for (one of the ids the step's `processId` returned). */
  processId: string;
  /**
   * Sends `command` later, unless cancelled first. `key` names it within the instance: scheduling
   * the same key again replaces the pending one. Kept with the instance's state, fired once by one
   * process. Throws `InvalidScheduleError` on a missing key, an invalid date or delay, or a plain object.
   */
  schedule(command: object, when: ScheduleTime, key: string): void;
  /** Cancels the pending command under `key`, if any. */
  cancel(key: string): void;
}

/** The schedule changes one step asked for, in the order it asked. */
export class ScheduleBook {
  readonly scheduled = new Map<string, { command: object; dueAt: Date }>();
  readonly cancelled = new Set<string>();

  constructor(
    private readonly processManager: string,
    private readonly now: () => Date,
  ) {}

  schedule(command: object, when: ScheduleTime, key: string): void {
    this.checkKey(key);
    if (command === null || typeof command !== 'object' || Array.isArray(command) || command.constructor === Object) {
      throw this.invalid(`${shown(command)} is not a command: pass an instance of a command class (\`new MyCommand(...)\`)`);
    }
    this.cancelled.delete(key);
    this.scheduled.set(key, { command, dueAt: this.dueAt(when) });
  }

  cancel(key: string): void {
    this.checkKey(key);
    this.scheduled.delete(key);
    this.cancelled.add(key);
  }

  private dueAt(when: ScheduleTime): Date {
    const { at, after } = (when ?? {}) as { at?: unknown; after?: unknown };
    if (at !== undefined && after !== undefined) throw this.invalid('give either { at: Date } or { after: ms }, not both');
    if (at !== undefined) {
      if (at instanceof Date && !Number.isNaN(at.getTime())) return new Date(at);
      throw this.invalid(`'at' must be a valid Date, got ${shown(at)}`);
    }
    if (typeof after === 'number' && Number.isFinite(after) && after >= 0) return new Date(this.now().getTime() + after);
    if (after !== undefined) throw this.invalid(`'after' must be a finite number of ms >= 0, got ${shown(after)}`);
    throw this.invalid(`the time must be { at: Date } or { after: ms }, got ${shown(when)}`);
  }

  private checkKey(key: unknown): void {
    const problem = identifierProblem(key);
    if (problem) throw this.invalid(`the key ${shown(key)} ${problem}: name the scheduled command, e.g. 'deposit-deadline'`);
  }

  private invalid(problem: string): InvalidScheduleError {
    return new InvalidScheduleError(this.processManager, problem);
  }
}

/** The context of one step: the event's context, the instance's id, and its schedule book. */
export function processContextOf(recorded: RecordedEvent, processId: string, book: ScheduleBook): ProcessContext {
  return {
    ...storedEventContextOf(recorded),
    processId,
    schedule: (command, when, key) => book.schedule(command, when, key),
    cancel: (key) => book.cancel(key),
  };
}
