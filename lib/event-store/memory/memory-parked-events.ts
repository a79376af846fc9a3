import type { ParkedEvent, ParkedEvents, ParkedSelection } from '../parked-events.interface.js';
import type { ParkEntry } from '../progress-write.js';
import { assertIdentifier } from '../store-strings.js';

/** Parked events of a memory store, with the SQL table's semantics. */
export class MemoryParkedEvents implements ParkedEvents {
  private readonly rows = new Map<string, Map<number, ParkedEvent>>();

  /** Parks `entries` (a parked one is updated as failed again) and removes `unpark`; called by a lease's progress write. */
  apply(subscription: string, entries: readonly ParkEntry[], unpark: readonly number[]): void {
    const rows = this.of(subscription);
    for (const entry of entries) {
      const before = rows.get(entry.globalPosition);
      rows.set(entry.globalPosition, { ...entry, subscription, parkedAt: before?.parkedAt ?? new Date(), retryRequested: false });
    }
    unpark.forEach((position) => rows.delete(position));
  }

  /** Forgets the events parked above `position`: a reset to it delivers them again. */
  discardAbove(subscription: string, position: number): void {
    const rows = this.of(subscription);
    [...rows.keys()].filter((parked) => parked > position).forEach((parked) => rows.delete(parked));
  }

  async list(subscription: string, options: { limit?: number; after?: number } = {}): Promise<ParkedEvent[]> {
    assertIdentifier('subscription name', subscription);
    return this.sorted(subscription)
      .filter((row) => row.globalPosition > (options.after ?? 0))
      .slice(0, options.limit ?? 100);
  }

  async count(subscription: string): Promise<number> {
    assertIdentifier('subscription name', subscription);
    return this.of(subscription).size;
  }

  async requestRetry(subscription: string, selection: ParkedSelection): Promise<number> {
    assertIdentifier('subscription name', subscription);
    const chosen = this.selected(subscription, selection);
    chosen.forEach((row) => (row.retryRequested = true));
    return chosen.length;
  }

  async discard(subscription: string, selection: ParkedSelection): Promise<number> {
    assertIdentifier('subscription name', subscription);
    const chosen = this.selected(subscription, selection);
    chosen.forEach((row) => this.of(subscription).delete(row.globalPosition));
    return chosen.length;
  }

  async due(subscription: string, inStreamOrder: boolean): Promise<ParkedEvent[]> {
    const first = new Map<string, number>();
    const rows = this.sorted(subscription);
    for (const row of rows) if (!first.has(row.streamId)) first.set(row.streamId, row.globalPosition);
    return rows.filter(
      (row) => (row.retryRequested || row.error === undefined) && (!inStreamOrder || first.get(row.streamId) === row.globalPosition),
    );
  }

  async blockedStreams(subscription: string): Promise<string[]> {
    return [...new Set(this.sorted(subscription).map((row) => row.streamId))];
  }

  private selected(subscription: string, selection: ParkedSelection): ParkedEvent[] {
    const rows = this.of(subscription);
    if (selection === 'all') return [...rows.values()];
    return selection.flatMap((position) => rows.get(Number(position)) ?? []);
  }

  private sorted(subscription: string): ParkedEvent[] {
    return [...this.of(subscription).values()].sort((a, b) => a.globalPosition - b.globalPosition).map((row) => ({ ...row }));
  }

  private of(subscription: string): Map<number, ParkedEvent> {
    let rows = this.rows.get(subscription);
    if (!rows) this.rows.set(subscription, (rows = new Map<number, ParkedEvent>()));
    return rows;
  }
}
