import { assertStorablePayload } from './payload-size.js';
import type { Snapshot } from './recorded-event.js';
import { assertIdentifier } from './store-strings.js';

/** Checks a snapshot before it is saved, the same way in every adapter. */
export function assertSnapshotInput(snapshot: Snapshot, maxPayloadBytes: number): void {
  assertIdentifier('stream id', snapshot.streamId);
  assertIdentifier('snapshot type', snapshot.snapshotType);
  assertStorablePayload(snapshot, maxPayloadBytes);
}
