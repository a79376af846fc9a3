import { assertStorablePayload } from './payload-size.js';
import type { ProcessStateChange } from './scheduled-commands.interface.js';
import { assertSnapshotInput } from './snapshot-input.js';
import { assertIdentifier } from './store-strings.js';

/** Checks a process change before anything of it is written, the same way in every adapter. */
export function assertProcessChange(change: ProcessStateChange, maxPayloadBytes: number): void {
  assertIdentifier('process manager name', change.processManager);
  assertIdentifier('process id', change.processId);
  assertIdentifier('stream id', change.stateStreamId);
  if (change.state) assertSnapshotInput(change.state, maxPayloadBytes);
  change.cancel.forEach((key) => assertIdentifier('schedule key', key));
  for (const scheduled of change.schedule) {
    assertIdentifier('schedule key', scheduled.key);
    assertIdentifier('command id', scheduled.commandId);
    assertIdentifier('command type', scheduled.commandType);
    assertStorablePayload(
      { data: scheduled.command, metadata: scheduled.metadata, streamId: `${change.processId} (${scheduled.key})` },
      maxPayloadBytes,
    );
  }
}
