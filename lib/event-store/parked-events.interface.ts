import type { ParkEntry } from './progress-write.js';

/** A parked event as stored: what failed, where, how often, and whether a retry was asked for. */
export interface ParkedEvent extends ParkEntry {
  subscription: string;
  parkedAt: Date;
  /** A retry was requested and the subscription's runner has not redelivered it yet. */
  retryRequested: boolean;
}

/** Which parked events an operation applies to: their global positions, or every one. */
export type ParkedSelection = readonly number[] | 'all';

/**
 * Dead letters of every subscription, readable and manageable from any process sharing the store
 * (a CLI needs nothing else). Parking and redelivery are done by the subscription's runner through
 * its lease; this port only lists, counts, and marks rows for retry or removes them.
 */
export interface ParkedEvents {
  /** Parked events of `subscription` in position order, after position `after`. @default limit 100 */
  list(subscription: string, options?: { limit?: number; after?: number }): Promise<ParkedEvent[]>;
  count(subscription: string): Promise<number>;
  /** Marks the selected events for redelivery by the runner; returns how many were marked. */
  requestRetry(subscription: string, selection: ParkedSelection): Promise<number>;
  /** Forgets the selected events (they will never be delivered); returns how many went. */
  discard(subscription: string, selection: ParkedSelection): Promise<number>;
  /**
   * What the runner should redeliver now, in position order: events marked for retry and held
   * events. With `inStreamOrder` (per-stream parking) only the first parked event of each stream
   * can be due, so a stream's events run in their order.
   */
  due(subscription: string, inStreamOrder: boolean): Promise<ParkedEvent[]>;
  /** Streams with a parked event: under per-stream parking their new events are held. */
  blockedStreams(subscription: string): Promise<string[]>;
}
