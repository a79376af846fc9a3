import { SettlingWork } from '../../../util/settling-work.js';

/** Settling work served in a row while new work waits, before one new item gets its turn. */
export const SETTLING_TURNS = 32;

/**
 * Hands out the pool's connections (`size` at a time) with two queues: settling work (see
 * {@link SettlingWork}) before new work, except that new work gets every
 * {@link SETTLING_TURNS}+1-th turn while both wait, so a long catch-up never stops callers.
 * Without waiting there is no order to choose and the gate only counts.
 */
export class ConnectionGate {
  private inUse = 0;
  private settlingInARow = 0;
  private readonly settling: Array<() => void> = [];
  private readonly fresh: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inUse < this.size) this.inUse++;
    else await new Promise<void>((granted) => (SettlingWork.active ? this.settling : this.fresh).push(granted));
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Passes the connection to the next waiter (it stays counted as in use), or frees it. */
  private release(): void {
    const next = this.next();
    if (next) next();
    else this.inUse--;
  }

  private next(): (() => void) | undefined {
    if (this.settling.length && (this.settlingInARow < SETTLING_TURNS || !this.fresh.length)) {
      this.settlingInARow++;
      return this.settling.shift();
    }
    this.settlingInARow = 0;
    return this.fresh.shift();
  }
}
