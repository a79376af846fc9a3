import { ShuttingDownError } from '../errors/shutting-down.error.js';
import { commandNameOf } from '../util/command-name.js';
import { SettlingWork } from '../util/settling-work.js';

/**
 * The door commands come in by. Open until shutdown begins; from then on a new command is refused
 * with `ShuttingDownError`, and shutdown goes on once the commands admitted before have finished,
 * so none is cut off halfway. Work this node already took on may still send commands: a process
 * manager finishing the event in flight.
 */
export class CommandAdmission {
  private closed = false;
  private inFlight = 0;
  private drained?: () => void;

  /** `nodeName` names this node in the refusals. */
  constructor(private readonly nodeName: string) {}

  /** True until shutdown begins. */
  get open(): boolean {
    return !this.closed;
  }

  /** Runs `dispatch`, counted as in flight; refused once shutdown has begun. */
  async admit<T>(command: object, dispatch: () => Promise<T>): Promise<T> {
    if (this.closed && !SettlingWork.active) throw new ShuttingDownError(this.nodeName, commandNameOf(command));
    this.inFlight++;
    try {
      return await dispatch();
    } finally {
      if (--this.inFlight === 0) this.drained?.();
    }
  }

  /** Runs `work`, whose commands are admitted even during shutdown: it finishes something already under way. */
  continue<T>(work: () => Promise<T>): Promise<T> {
    return SettlingWork.run(work);
  }

  /** Refuses new commands and resolves once the admitted ones have finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }
}
