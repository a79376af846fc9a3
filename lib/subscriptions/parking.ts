import type { ParkMode } from '../decorators/subscription-options.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { ParkedEvent } from '../event-store/parked-events.interface.js';
import type { ParkEntry } from '../event-store/progress-write.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The parked-event record of a stored event. */
export function parkEntryOf(recorded: RecordedEvent, failure?: { error: unknown; attempts: number }): ParkEntry {
  const { globalPosition, eventId, streamId, streamVersion, eventType } = recorded;
  return {
    globalPosition,
    eventId,
    streamId,
    streamVersion,
    eventType,
    error: failure && messageOf(failure.error),
    attempts: failure?.attempts ?? 0,
  };
}

/** Runs one parked event again (once); the write moves it out of the parked table if it succeeds. */
export type Redeliver = (recorded: RecordedEvent, resolved: { checkpoint: 0; unpark: number[] }) => Promise<void>;

/**
 * The parking side of one session: which streams are held (per-stream mode), and the redelivery
 * of parked events the runner owes: those an operator asked to retry, and held ones whose stream
 * has nothing parked before them any more. A redelivered event runs once; on failure it stays
 * parked with one more attempt, and the rest of its stream waits behind it.
 */
export class Parking {
  private readonly blocked = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly lease: SubscriptionLease,
    private readonly mode: ParkMode,
    private readonly onFailure: (recorded: RecordedEvent, error: unknown, attempt: number) => void,
  ) {}

  /** Loads the held streams (per-stream mode). */
  async load(): Promise<void> {
    if (this.mode !== 'stream') return;
    this.blocked.clear();
    for (const stream of await this.store.parkedEvents.blockedStreams(this.lease.name)) this.blocked.add(stream);
  }

  /** True when the event must wait behind a parked event of its stream. */
  holds(recorded: RecordedEvent): boolean {
    return this.blocked.has(recorded.streamId);
  }

  /** Records that `recorded` was parked (its stream is held from now on, in per-stream mode). */
  parked(recorded: RecordedEvent): void {
    if (this.mode === 'stream') this.blocked.add(recorded.streamId);
  }

  /** Redelivers every parked event that is due, in position order, until none is left; returns how many ran. */
  async redeliverDue(redeliver: Redeliver, active: () => boolean): Promise<number> {
    let ran = 0;
    const failed = new Set<string>();
    for (;;) {
      const due = (await this.store.parkedEvents.due(this.lease.name, this.mode === 'stream')).filter((row) => !failed.has(row.streamId));
      if (!due.length || !active()) break;
      for (const row of due) {
        if (!active()) break;
        if (failed.has(row.streamId)) continue;
        if (!(await this.redeliverOne(row, redeliver)) && this.mode === 'stream') failed.add(row.streamId);
        ran++;
      }
    }
    await this.load();
    return ran;
  }

  private async redeliverOne(row: ParkedEvent, redeliver: Redeliver): Promise<boolean> {
    const [recorded] = await this.store.readStream(row.streamId, { fromVersion: row.streamVersion, maxCount: 1 });
    if (!recorded || recorded.globalPosition !== row.globalPosition) {
      await this.lease.saveProgress({ checkpoint: 0, unpark: [row.globalPosition] });
      return true;
    }
    try {
      await redeliver(recorded, { checkpoint: 0, unpark: [row.globalPosition] });
      return true;
    } catch (error) {
      const attempts = row.attempts + 1;
      this.onFailure(recorded, error, attempts);
      await this.lease.saveProgress({ checkpoint: 0, park: [parkEntryOf(recorded, { error, attempts })] });
      return false;
    }
  }
}
