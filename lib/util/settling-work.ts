import { AsyncLocalStorage } from 'node:async_hooks';

const settling = new AsyncLocalStorage<boolean>();

/**
 * Marks work that settles what the system already accepted (a process manager handling its events
 * and sending their commands) as opposed to work that takes on something new (a command from a
 * caller). Such work is still admitted while a node shuts down, and the store serves it first when
 * connections are scarce: under a load the machine cannot keep up with, callers wait longer for new
 * commands instead of accepted work falling behind without bound.
 */
export const SettlingWork = {
  /** Runs `work` (and everything it starts) as settling work. */
  run<T>(work: () => T): T {
    return settling.run(true, work);
  },
  /**
   * Runs `work` as settling work or as new work, whatever the caller's context. Enters a context
   * only to change the caller's: on Node 20 the first one entered slows every await of the process.
   */
  as<T>(settles: boolean, work: () => T): T {
    return settles === SettlingWork.active ? work() : settling.run(settles, work);
  },
  /** True inside {@link SettlingWork.run}. */
  get active(): boolean {
    return settling.getStore() === true;
  },
};
