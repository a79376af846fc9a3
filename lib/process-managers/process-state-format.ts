import type { Type } from '@nestjs/common';
import { PROCESS_MANAGER_METADATA } from '../constants.js';
import type { ProcessManagerMetadata } from '../decorators/process-manager.decorator.js';
import { readMetadata } from '../decorators/read-metadata.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { StateCodec } from '../events/state-codec.js';
import type { JsonObject, Snapshot } from '../event-store/recorded-event.js';

/**
 * How one process manager's state is stored: through the state codec, under the class's
 * `stateVersion`. State of an earlier version is lifted by its `migrateState` when read; state
 * stored as plain JSON by releases before the codec reads as it was, at version 1.
 */
export class ProcessStateFormat {
  /** The version stored state is written at. */
  readonly version: number;
  private readonly migrate?: ProcessManagerMetadata['migrateState'];

  /** Throws `ConfigurationError` when the class's `stateVersion` or `migrateState` is malformed. */
  constructor(
    private readonly type: Type,
    private readonly codec: StateCodec,
  ) {
    const { stateVersion = 1, migrateState } = readMetadata<ProcessManagerMetadata>(PROCESS_MANAGER_METADATA, type) ?? {};
    const problem = !(Number.isInteger(stateVersion) && stateVersion >= 1)
      ? `'stateVersion' must be an integer of 1 or more, got ${JSON.stringify(stateVersion)}`
      : migrateState !== undefined && typeof migrateState !== 'function'
        ? `'migrateState' must be a function (state, fromVersion) => state`
        : stateVersion > 1 && !migrateState
          ? `'stateVersion' ${stateVersion} needs 'migrateState(state, fromVersion)' to read state stored at earlier versions`
          : undefined;
    if (problem) throw new ConfigurationError(`@ProcessManager on ${type.name}: ${problem}`);
    this.version = stateVersion;
    this.migrate = migrateState;
  }

  encode(instance: object): JsonObject {
    return this.codec.encode(instance);
  }

  /** The fields of a stored state, at the current version. */
  decode(saved: Snapshot): Record<string, unknown> {
    const fields = this.codec.decode(saved.data) ?? saved.data;
    if (saved.snapshotVersion === this.version) return fields;
    if (saved.snapshotVersion > this.version) {
      throw new ConfigurationError(
        `Process state '${saved.streamId}' was stored at state version ${saved.snapshotVersion}; ${this.type.name} reads versions up to ${this.version} (a newer release wrote it)`,
      );
    }
    return this.migrate!(fields, saved.snapshotVersion);
  }
}
