import { randomUUID } from 'node:crypto';
import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { isWrongExpectedVersion, WrongExpectedVersionError } from '../errors/wrong-expected-version.error.js';
import type { EventStore } from './event-store.interface.js';
import { STREAM_EXISTS } from './expected-version.js';
import type { NewEvent, RecordedEvent } from './recorded-event.js';
import { shown } from './store-strings.js';
import { type DeleteStreamOptions, isTombstone, STREAM_DELETED_TYPE, type StreamRemoval, type TruncateStreamOptions } from './stream-removal.js';

/** Events of a stream below a version, removed or only counted: how each adapter does it. */
export type RemoveEventsBefore = (
  streamId: string,
  before: number,
  dryRun: boolean,
) => Promise<{ removed: number; removedVersions?: { from: number; to: number } }>;

type RemovalStore = Pick<EventStore, 'readStream' | 'appendToStream' | 'readSnapshot' | 'deleteSnapshot'>;

/** Appends racing the deletion: it reads the end again this many times before giving up. */
const DELETE_ATTEMPTS = 3;

const tombstone = (streamId: string): NewEvent => ({
  eventId: randomUUID(),
  eventType: STREAM_DELETED_TYPE,
  data: { streamId },
  metadata: { schemaVersion: 1 },
});

function assertFlags(options: object, keys: readonly string[]): void {
  const problems = Object.entries(options ?? {})
    .filter(([key, value]) => !keys.includes(key) || (value !== undefined && typeof value !== 'boolean'))
    .map(([key, value]) =>
      keys.includes(key) ? `'${key}' must be a boolean, got ${shown(value)}` : `'${key}' is not an option (${keys.join(', ')})`,
    );
  if (problems.length) throw new InvalidOptionsError(problems);
}

async function lastEvent(store: RemovalStore, streamId: string, doing: string): Promise<RecordedEvent> {
  const [last] = await store.readStream(streamId, { direction: 'backward', maxCount: 1 });
  if (!last) throw new WrongExpectedVersionError(streamId, STREAM_EXISTS, 0, `Stream '${streamId}' has no events: there is nothing to ${doing}`);
  return last;
}

/**
 * Soft delete: appends the tombstone after the stream's last event (once: a deleted stream is left
 * as it is), so the version stays reserved and subscriptions read the deletion as an event. Hard:
 * then removes every event before the tombstone, and the snapshot. The two steps are separate
 * transactions; a hard delete interrupted between them leaves a soft-deleted stream, and running
 * it again finishes it.
 */
export async function deleteStream(
  store: RemovalStore,
  removeBefore: RemoveEventsBefore,
  streamId: string,
  options: DeleteStreamOptions = {},
): Promise<StreamRemoval> {
  assertFlags(options, ['hard', 'dryRun']);
  const dryRun = options.dryRun ?? false;
  let version = 0;
  for (let attempt = 1; !version; attempt++) {
    const last = await lastEvent(store, streamId, 'delete');
    if (isTombstone(last)) version = last.streamVersion;
    else if (dryRun) version = last.streamVersion + 1;
    else {
      try {
        version = (await store.appendToStream(streamId, last.streamVersion, [tombstone(streamId)])).streamVersion;
      } catch (error) {
        if (!isWrongExpectedVersion(error) || attempt === DELETE_ATTEMPTS) throw error;
      }
    }
  }
  const removal = options.hard ? await removeBefore(streamId, version, dryRun) : { removed: 0 };
  if (options.hard && !dryRun) await store.deleteSnapshot(streamId);
  return { streamId, version, deleted: true, ...removal, dryRun };
}

/**
 * Removes a stream's events before version `before`, keeping at least its last event (so its
 * version stays reserved), and only when its snapshot covers version `before - 1` or a tombstone
 * makes the removed events irrelevant: otherwise its aggregate could not be loaded.
 */
export async function truncateStream(
  store: RemovalStore,
  removeBefore: RemoveEventsBefore,
  streamId: string,
  before: number,
  options: TruncateStreamOptions = {},
): Promise<StreamRemoval> {
  assertFlags(options, ['dryRun']);
  if (!Number.isSafeInteger(before) || before < 1) throw new InvalidOptionsError([`'before' must be a whole number from 1, got ${shown(before)}`]);
  const last = await lastEvent(store, streamId, 'truncate');
  if (before > last.streamVersion) {
    throw new InvalidOptionsError([
      `'before' must be at most ${last.streamVersion}, the version of '${streamId}': its last event is always kept, got ${before}`,
    ]);
  }
  const snapshot = await store.readSnapshot(streamId);
  if (!isTombstone(last) && (snapshot?.streamVersion ?? 0) < before - 1) {
    const latest = snapshot ? `its snapshot is at version ${snapshot.streamVersion}` : 'it has no snapshot';
    throw new InvalidOptionsError([
      `no snapshot of '${streamId}' covers version ${before - 1} (${latest}): let its aggregate take one first, or truncate before a version at most ${(snapshot?.streamVersion ?? 0) + 1}`,
    ]);
  }
  const dryRun = options.dryRun ?? false;
  const removal = await removeBefore(streamId, before, dryRun);
  return { streamId, version: last.streamVersion, deleted: isTombstone(last), ...removal, dryRun };
}
