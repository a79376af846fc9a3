import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A process-manager step asked to schedule or cancel a command with arguments that cannot work
 * (no key, an invalid date or delay, a plain object instead of a command). The step fails;
 * nothing of it is dispatched or saved.
 */
export class InvalidScheduleError extends EventSourcingError {
  static readonly code = 'INVALID_SCHEDULE';
  constructor(
    /** The process manager whose step asked. */
    readonly processManager: string,
    readonly problem: string,
  ) {
    super(InvalidScheduleError.code, `Process manager '${processManager}' cannot schedule: ${problem}`);
  }
}

/** True when `error` is a {@link InvalidScheduleError}. */
export const isInvalidSchedule = codeGuard<InvalidScheduleError>(InvalidScheduleError.code);
