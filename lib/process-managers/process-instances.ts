import type { Type } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { ScheduledCommand } from '../event-store/scheduled-commands.interface.js';
import type { StateCodec } from '../events/state-codec.js';
import { deterministicUuid } from '../util/deterministic-uuid.js';
import { ProcessStateFormat } from './process-state-format.js';
import type { ScheduleBook } from './process-context.js';
import type { OnProcessError } from './process-error-decision.js';
import { ProcessManagerBuilder } from './process-manager-builder.js';
import type { ScheduledCommandTypes } from './scheduled-command-types.js';

/** Stream id under which the state of one process-manager instance is kept (as a snapshot). */
export const processStateStreamId = (name: string, processId: string): string => `$pm-${name}-${processId}`;

/** A process-manager instance: the class's methods over its saved state. */
export type ProcessInstance = Record<string | symbol, unknown> & Partial<OnProcessError>;

/** An instance and the global position its saved state includes (0 when new). */
export interface LoadedInstance {
  instance: ProcessInstance;
  stamp: number;
}

/** What a saved instance changes: its state (or its end) and the schedule changes of the step. */
export interface InstanceChange {
  processId: string;
  loaded: LoadedInstance;
  ended: boolean;
  /** Stamp of the saved state: the position of the event handled. */
  stamp: number;
  book?: ScheduleBook;
  /** The event that scheduled the book's commands. */
  cause?: RecordedEvent;
}

/**
 * Loads and saves process-manager instances. State is the instance's own enumerable properties,
 * stored through the state codec (see {@link ProcessStateFormat}) and saved together with the
 * step's schedule changes in one store transaction.
 */
export class ProcessInstances {
  private readonly format: ProcessStateFormat;

  constructor(
    readonly name: string,
    private readonly type: Type,
    private readonly store: EventStore,
    private readonly types: ScheduledCommandTypes,
    codec: StateCodec,
    /** Builds instances with their injected dependencies and tells their state from them. */
    private readonly builder = new ProcessManagerBuilder(type),
  ) {
    this.format = new ProcessStateFormat(type, codec);
  }

  /** The saved instance, or undefined when none is running under `processId`. */
  async load(processId: string): Promise<LoadedInstance | undefined> {
    const saved = await this.store.readSnapshot(processStateStreamId(this.name, processId));
    return saved && { instance: this.create(await this.format.decode(saved, this.store.subjectKeys)), stamp: saved.streamVersion };
  }

  create(data?: Record<string, unknown>): ProcessInstance {
    return this.builder.create(data);
  }

  async save(change: InstanceChange): Promise<void> {
    const { processId, loaded, ended, stamp, book, cause } = change;
    const stateStreamId = processStateStreamId(this.name, processId);
    const scheduledCommands = this.store.scheduledCommands;
    const state = ended
      ? undefined
      : {
          streamId: stateStreamId,
          streamVersion: stamp,
          snapshotType: this.type.name,
          snapshotVersion: this.format.version,
          data: await this.format.encode(this.builder.stateOf(loaded.instance), stateStreamId, this.store.subjectKeys),
        };
    if (!scheduledCommands) {
      if (book?.scheduled.size || book?.cancelled.size)
        throw new ConfigurationError(`Process manager '${this.name}' schedules commands, which this event store cannot keep`);
      return state ? this.store.saveSnapshot(state) : this.store.deleteSnapshot(stateStreamId);
    }
    await scheduledCommands.commitProcess({
      processManager: this.name,
      processId,
      stateStreamId,
      state,
      schedule: book && cause ? [...book.scheduled].map(([key, entry]) => this.scheduled(processId, key, entry, cause)) : [],
      cancel: book ? [...book.cancelled] : [],
    });
  }

  /**
   * The stored form of one scheduled command. Its id comes from the process manager, the process
   * id, the key and the scheduling event: a redelivered step schedules it under the same id, and a
   * command scheduled again later under the same key gets a new one (it is a new command).
   */
  private scheduled(processId: string, key: string, entry: { command: object; dueAt: Date }, cause: RecordedEvent): ScheduledCommand {
    return {
      processManager: this.name,
      processId,
      key,
      commandId: deterministicUuid(this.name, 'scheduled', processId, key, cause.eventId),
      ...this.types.encode(entry.command),
      dueAt: entry.dueAt,
      causationId: cause.eventId,
      correlationId: cause.correlationId ?? cause.eventId,
      metadata: cause.metadata,
      attempts: 0,
    };
  }
}
