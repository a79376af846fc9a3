import { AggregateNotFoundError } from '../errors/aggregate-not-found.error.js';
import { type AggregateAt, describeAt, versionAt } from '../event-store/aggregate-at.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { historyGone } from './history-gone.js';

/**
 * The stream version an aggregate is loaded at for `at`: a version the stream has reached, or the
 * last one recorded by a time. When no event kept was recorded by then, the stream had either not
 * begun (`AggregateNotFoundError`) or its history there was removed; a snapshot saved by then
 * still holds it (every event it covers was recorded before it was saved), else the load fails.
 */
export async function historyVersion(store: EventStore, streamId: string, at: AggregateAt): Promise<number> {
  const version = await versionAt(store, streamId, at);
  if (version > 0 || !at.time) return version;
  const time = at.time;
  const [head, [first], snapshot] = await Promise.all([
    store.streamVersion(streamId),
    store.readStream(streamId, { maxCount: 1 }),
    store.readSnapshot(streamId),
  ]);
  if (head === 0) throw new AggregateNotFoundError(streamId);
  if (first?.streamVersion === 1) {
    throw new AggregateNotFoundError(streamId, `recorded at or before ${describeAt(at)}: its first was recorded at ${first.createdAt.toISOString()}`);
  }
  if (snapshot?.createdAt && snapshot.createdAt.getTime() <= time.getTime()) return snapshot.streamVersion;
  const uncovered = snapshot ? `its snapshot was saved later, at ${snapshot.createdAt?.toISOString()}` : 'it has no snapshot';
  throw historyGone(streamId, { point: describeAt(at), uncovered, next: first, removedUpTo: head });
}
