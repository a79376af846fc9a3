import { SettlingWork } from './settling-work.js';

interface Waiting<I, O> {
  item: I;
  settles: boolean;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/** How a {@link Batcher} gathers items. */
export interface BatcherOptions {
  /** Most items per call of `run`. @default 500 */
  maxBatch?: number;
  /**
   * Waits one turn of the event loop before the first call, so that items submitted together (a
   * standby told of several released leases) go as one. @default false: the first item goes at once
   */
  gatherTurn?: boolean;
  /**
   * Calls of `run` in flight at once; each takes what is waiting when it leaves. More than one lets
   * a flight's round trip overlap another's. @default 1
   */
  flights?: number;
}

/**
 * Group commit for round trips: items submitted while a call of `run` is in flight go together
 * in the next call, so N concurrent callers cost about one round trip per flight instead of N.
 * The first item starts at once (unless `gatherTurn`), so a caller alone waits no longer than
 * without batching. When a batch of several fails, each item is tried again alone: one bad item
 * fails only its own caller.
 */
export class Batcher<I, O> {
  private readonly queue: Array<Waiting<I, O>> = [];
  private flying = 0;

  /** `run` gets the items in submission order and returns one output per item, in the same order. */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions = {},
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, settles: SettlingWork.active, resolve, reject });
      if (this.flying >= (this.options.flights ?? 1)) return;
      this.flying++;
      if (this.options.gatherTurn) setImmediate(() => void this.drain());
      else void this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) await this.settle(this.queue.splice(0, this.options.maxBatch ?? 500));
    this.flying--;
  }

  private async settle(batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      // A flight carries settling work when any of its items does (see SettlingWork).
      const items = batch.map((waiting) => waiting.item);
      const outputs = await SettlingWork.as(
        batch.some((waiting) => waiting.settles),
        () => this.run(items),
      );
      batch.forEach((waiting, index) => waiting.resolve(outputs[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const waiting of batch) await this.settle([waiting]);
    }
  }
}

/**
 * The row of each key, in the order of `keys` (undefined where none): the output of a batched
 * `WHERE key = ANY(...)` read. A key asked twice gets its own copy, as two separate reads would.
 */
export function byKeys<R>(keys: string[], rows: R[], keyOf: (row: R) => string): Array<R | undefined> {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  const given = new Set<string>();
  return keys.map((key) => {
    const row = found.get(key);
    if (row === undefined || !given.has(key)) return (given.add(key), row);
    return structuredClone(row);
  });
}
