/** An event a subscription gives up on for now, kept in `parked_events` until retried or discarded. */
export interface ParkEntry {
  globalPosition: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  eventType: string;
  /**
   * Why it failed; `undefined` when it never ran because an earlier event of its stream is parked
   * (per-stream parking holds the rest of the stream behind it).
   */
  error?: string;
  /** Failed attempts so far (0 for a held event). */
  attempts: number;
}

/**
 * One fenced write of a subscription's progress: the checkpoint, the finished positions above it,
 * and the parked events that change with it, all committed together.
 */
export interface ProgressWrite {
  /** The new checkpoint; a lower value than the stored one leaves it where it is. */
  checkpoint: number;
  /** Positions above the checkpoint whose delivery finished; merged with those already stored. */
  finished?: readonly number[];
  /** Events to park (or, for one parked already, to record as failed again). */
  park?: readonly ParkEntry[];
  /** Positions of parked events that are resolved: their rows go. */
  unpark?: readonly number[];
}

/**
 * The events a subscription delivers again after a reset: those after `after` (where the last
 * reset moved the checkpoint) up to `upTo` (the furthest it had got before any reset).
 */
export interface ReplayWindow {
  after: number;
  upTo: number;
}

/** True when the event at `position` lies in `window`: the subscription had handled it before a reset. */
export const isReplay = (window: ReplayWindow | undefined, position: number): boolean =>
  window !== undefined && position > window.after && position <= window.upTo;

/** The fenced progress of one subscription. */
export interface StoredProgress {
  checkpoint: number;
  /** Finished positions above the checkpoint, ascending. */
  finished: number[];
  /** What a reset made it deliver again; absent when it was never reset. */
  replay?: ReplayWindow;
}

/**
 * The window a reset to `target` leaves, given the progress before it (the furthest position
 * reached: the checkpoint, or a finished position above it) and the window of earlier resets.
 */
export function replayAfterReset(progress: StoredProgress, target: number): ReplayWindow {
  const reached = Math.max(progress.checkpoint, ...progress.finished, progress.replay?.upTo ?? 0);
  return { after: target, upTo: reached };
}

/**
 * What a subscription transaction writes with its work: a checkpoint, a progress write, or either
 * decided from what the work returned (work that stopped early writes as far as it got).
 */
export type TransactionWrite<T> = number | ProgressWrite | ((result: T) => number | ProgressWrite);

/** The checkpoint or progress write of `write` once its work returned `result`. */
export const writeAfter = <T>(write: TransactionWrite<T>, result: T): number | ProgressWrite => (typeof write === 'function' ? write(result) : write);
