import type { RecordedEvent } from './recorded-event.js';

/** Stored type name of the tombstone a deleted stream ends with (the `StreamDeleted` event). */
export const STREAM_DELETED_TYPE = '$StreamDeleted';

/** Options of `EventStore.deleteStream`. */
export interface DeleteStreamOptions {
  /** Also remove every event before the tombstone, and the stream's snapshot, from the store. @default false */
  hard?: boolean;
  /** Report what would happen; append and remove nothing. @default false */
  dryRun?: boolean;
}

/** Options of `EventStore.truncateStream`. */
export interface TruncateStreamOptions {
  /** Report what would be removed; remove nothing. @default false */
  dryRun?: boolean;
}

/** What a deletion or truncation did (or, on a dry run, would do). */
export interface StreamRemoval {
  streamId: string;
  /** The stream's version: the tombstone's after a deletion, which stays reserved. */
  version: number;
  /** True when the stream ends with a tombstone (on a dry run: would). */
  deleted: boolean;
  /** How many events left the store (on a dry run: would). */
  removed: number;
  /** The first and last version removed; absent when none was. */
  removedVersions?: { from: number; to: number };
  dryRun: boolean;
}

/** True when `event` is the tombstone of a deleted stream. */
export const isTombstone = (event: Pick<RecordedEvent, 'eventType'>): boolean => event.eventType === STREAM_DELETED_TYPE;
