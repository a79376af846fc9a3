import { Inject, Injectable } from '@nestjs/common';
import { DuplicateCommandError } from '../errors/duplicate-command.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import { StateCodec } from '../events/state-codec.js';
import type { CommandRecord, CommandToRecord } from '../event-store/command-record.js';
import { EventStore } from '../event-store/event-store.interface.js';
import type { AggregateInstance } from './aggregate-instance.js';
import { AggregateLoader } from './aggregate-loader.js';
import type { CommandEnvelope } from './command-envelope.js';
import type { ExecutionResult } from './execution-result.js';

/**
 * Answers a command whose id the store has already recorded: the same command again gets the
 * outcome it had the first time, rebuilt from its stored events, without running the handler;
 * another command under that id is refused with `DuplicateCommandError`.
 */
@Injectable()
export class CommandRepeats {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly loader: AggregateLoader,
    @Inject(StateCodec) private readonly codec: StateCodec,
  ) {}

  /** The recorded command with the envelope's id, if any. */
  find(envelope: CommandEnvelope): Promise<CommandRecord | undefined> {
    return this.store.readCommand(envelope.commandId);
  }

  /**
   * The original outcome: version and global position right after that command, its events as
   * class instances. `aggregateState`, when asked for, is the state now, which may include later commands.
   */
  async outcome(instance: AggregateInstance, envelope: CommandEnvelope, record: CommandRecord, command: CommandToRecord): Promise<ExecutionResult> {
    this.assertSame(record, instance.streamId, command);
    if (instance.version < record.lastVersion) await this.loader.catchUp(instance);
    const stored = await this.store.readStream(record.streamId, {
      fromVersion: record.firstVersion,
      maxCount: record.lastVersion - record.firstVersion + 1,
    });
    return {
      aggregateId: envelope.aggregateId,
      streamId: instance.streamId,
      aggregateVersion: record.lastVersion,
      globalPosition: record.globalPosition,
      events: stored.map((recorded) => this.serializer.deserialize(recorded)),
      aggregateState: envelope.returnState ? instance.stateCopy(this.codec) : undefined,
      metadata: envelope.metadata,
    };
  }

  private assertSame(record: CommandRecord, streamId: string, command: CommandToRecord): void {
    const difference =
      record.streamId !== streamId
        ? `a command to '${record.streamId}', not '${streamId}'`
        : record.commandType !== command.commandType
          ? `a ${record.commandType} command, not ${command.commandType}`
          : record.payloadHash !== command.payloadHash
            ? `a ${record.commandType} with a different payload`
            : undefined;
    if (difference) throw new DuplicateCommandError(record.commandId, difference);
  }
}
