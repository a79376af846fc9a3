import { performance } from 'node:perf_hooks';

/** One {@link awaitDeadline} in progress. */
interface Wait {
  /** On the {@link performance.now} clock, which no change of the system time moves. */
  readonly deadline: number;
  expire(): void;
}

/**
 * The waits in progress, on one timer armed for the earliest deadline or before it. A timer per
 * wait makes Node build and drop its list of timers of that length around every wait, which costs
 * more than a fast command itself. Like a timer per wait, the timer holds the process open only
 * while some wait is in progress.
 */
class Deadlines {
  private readonly waits = new Set<Wait>();
  private timer?: NodeJS.Timeout;
  /** When the timer fires; infinite while none is armed. */
  private firesAt = Number.POSITIVE_INFINITY;

  add(wait: Wait): void {
    this.waits.add(wait);
    if (wait.deadline < this.firesAt) this.arm(wait.deadline);
    else if (this.waits.size === 1) this.timer?.ref();
  }

  delete(wait: Wait): void {
    this.waits.delete(wait);
    if (this.waits.size === 0) this.timer?.unref();
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.firesAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - performance.now()));
  }

  /** Ends the waits past their deadline, and arms the timer again for the earliest one left. */
  private expire(): void {
    this.timer = undefined;
    this.firesAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const wait of this.waits) {
      if (wait.deadline > now) {
        next = Math.min(next, wait.deadline);
        continue;
      }
      this.waits.delete(wait);
      wait.expire();
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }
}

const deadlines = new Deadlines();

/** Resolves like `work`, or rejects with `onTimeout()` once `ms` have passed. */
export function awaitDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const wait: Wait = { deadline: performance.now() + Math.max(0, ms), expire: () => reject(onTimeout()) };
    deadlines.add(wait);
    work.then(
      (value) => {
        deadlines.delete(wait);
        resolve(value);
      },
      (error: Error) => {
        deadlines.delete(wait);
        reject(error);
      },
    );
  });
}
