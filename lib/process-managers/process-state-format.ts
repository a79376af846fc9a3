import type { Type } from '@nestjs/common';
import { PROCESS_MANAGER_METADATA } from '../constants.js';
import type { ProcessManagerMetadata } from '../decorators/process-manager.decorator.js';
import { type PersonalDataOptions, personalDataProblem } from '../decorators/personal-data.options.js';
import { readMetadata } from '../decorators/read-metadata.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { StateCodec } from '../events/state-codec.js';
import { openState, sealState } from '../event-store/personal-state.js';
import type { JsonObject, Snapshot } from '../event-store/recorded-event.js';
import type { SubjectKeys } from '../event-store/subject-keys.interface.js';

/**
 * How one process manager's state is stored: through the state codec, under the class's
 * `stateVersion`. State of an earlier version is lifted by its `migrateState` when read; state
 * stored as plain JSON by releases before the codec reads as it was, at version 1.
 */
export class ProcessStateFormat {
  /** The version stored state is written at. */
  readonly version: number;
  /** Its personal fields, when its state keeps any. */
  readonly personal?: PersonalDataOptions;
  private readonly migrate?: ProcessManagerMetadata['migrateState'];

  /** Throws `ConfigurationError` when the class's `stateVersion` or `migrateState` is malformed. */
  constructor(
    private readonly type: Type,
    private readonly codec: StateCodec,
  ) {
    const { stateVersion = 1, migrateState, personal } = readMetadata<ProcessManagerMetadata>(PROCESS_MANAGER_METADATA, type) ?? {};
    const problem = !(Number.isInteger(stateVersion) && stateVersion >= 1)
      ? `'stateVersion' must be an integer of 1 or more, got ${JSON.stringify(stateVersion)}`
      : migrateState !== undefined && typeof migrateState !== 'function'
        ? `'migrateState' must be a function (state, fromVersion) => state`
        : stateVersion > 1 && !migrateState
          ? `'stateVersion' ${stateVersion} needs 'migrateState(state, fromVersion)' to read state stored at earlier versions`
          : personal && personalDataProblem(personal) && `declares personal data wrongly: ${personalDataProblem(personal)}`;
    if (problem) throw new ConfigurationError(`@ProcessManager on ${type.name}: ${problem}`);
    this.version = stateVersion;
    this.migrate = migrateState;
    this.personal = personal;
  }

  /** The stored form of an instance's state: encoded, its personal fields sealed under `keys`. */
  async encode(instance: object, stateStreamId: string, keys: SubjectKeys | undefined): Promise<JsonObject> {
    const encoded = this.codec.encode(instance);
    return this.personal ? sealState(keys, stateStreamId, encoded, this.personal) : encoded;
  }

  /** The fields of a stored state, at the current version. */
  async decode(saved: Snapshot, keys: SubjectKeys | undefined): Promise<Record<string, unknown>> {
    const data = await openState(keys, saved.streamId, saved.data);
    const fields = this.codec.decode(data) ?? data;
    if (saved.snapshotVersion === this.version) return fields;
    if (saved.snapshotVersion > this.version) {
      throw new ConfigurationError(
        `Process state '${saved.streamId}' was stored at state version ${saved.snapshotVersion}; ${this.type.name} reads versions up to ${this.version} (a newer release wrote it)`,
      );
    }
    return this.migrate!(fields, saved.snapshotVersion);
  }
}
