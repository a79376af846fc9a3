/**
 * How long after a subscription's last progress write a position it only passed over may wait to
 * be stored: positions read with nothing to run (a process manager's events that route to no
 * instance, a spread partition's events of other partitions, a filtered reader's look past other
 * types). Reading them again after a crash or a handover again runs nothing, so the write only
 * bounds that re-read; the position is acknowledged at once, since a caller may wait for the
 * subscription by name. Without the wait, an idle process manager or each partition of a spread
 * subscription would store its checkpoint for every append it passes over.
 */
export const PASSED_OVER_WRITE_DELAY_MS = 1000;

/** The last stored checkpoint and when it was stored: says when a passed-over position is due. */
export class PassedOverWrite {
  private storedAt = 0;

  constructor(private storedUpTo: number) {}

  /** A write stored `checkpoint`. */
  stored(checkpoint: number): void {
    this.storedUpTo = Math.max(this.storedUpTo, checkpoint);
    this.storedAt = Date.now();
  }

  /** Ms until `position` is due to be stored (0: now); undefined when it is stored already. */
  wait(position: number): number | undefined {
    if (position <= this.storedUpTo) return undefined;
    return Math.max(0, this.storedAt + PASSED_OVER_WRITE_DELAY_MS - Date.now());
  }
}
