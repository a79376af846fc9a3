import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommandEnvelope } from './command-envelope.js';
import type { ExecutionResult } from './execution-result.js';
import { CommandTimeoutError } from '../errors/command-timeout.error.js';
import { isDuplicateCommand } from '../errors/duplicate-command.error.js';
import { StreamDeletedError } from '../errors/stream-deleted.error.js';
import { isWrongExpectedVersion, WrongExpectedVersionError } from '../errors/wrong-expected-version.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import { StateCodec } from '../events/state-codec.js';
import type { CommandRecord, CommandToRecord } from '../event-store/command-record.js';
import type { NewEvent } from '../event-store/recorded-event.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { assertApplied } from './aggregate-definition.js';
import type { AggregateInstance } from './aggregate-instance.js';
import { AggregateLoader } from './aggregate-loader.js';
import { CommandRepeats } from './command-repeats.js';
import { commandPayloadHash } from './command-payload-hash.js';
import { CommitPublisher } from './commit-publisher.js';
import { type CallerExpectation, expectationFailed, meetsExpectation, pinsVersion } from './caller-expectation.js';
import { AGGREGATE_SETTINGS, type AggregateSettings } from './live-aggregates.options.js';
import { AppendHook } from '../event-store/append-hook.interface.js';
import { Telemetry } from '../telemetry/telemetry.interface.js';
import { uuidV7 } from '../util/uuid-v7.js';

/** Counters since start, for health checks and tuning. */
export interface ExecutionStats {
  /** Commands run to completion (with or without events). */
  executed: number;
  /** Appends refused because another writer moved the stream first. */
  conflicts: number;
}

/** Random pause before retrying a conflicting command, growing with the attempt, so racing writers spread out. */
const conflictBackoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));

const toRecord = (envelope: CommandEnvelope): CommandToRecord => ({
  commandId: envelope.commandId,
  commandType: envelope.commandName,
  payloadHash: commandPayloadHash(envelope.commandName, envelope.command),
});

/**
 * Runs one command against a loaded instance: execute, append with the expected version, apply.
 * A conflicting append reloads the instance and retries the command, up to `maxAttempts`. A command
 * that fails in any way, or produces no event, leaves the instance to be rebuilt from the store by the next one, so the
 * state a command sees is always the fold of stored events, whatever a failed handler changed.
 * A command whose id may come again (`idempotent`, or forwarded by a node that may retry it) is
 * recorded with its events, atomically; one that produced none leaves no record, so sending it again
 * runs it again. An `idempotent` command is looked up first and, when recorded, answered by
 * {@link CommandRepeats} without running. A command whose caller expects a version runs only
 * there, and a conflict on its append refuses it instead of running it again.
 */
@Injectable()
export class AggregateExecutor {
  private readonly logger = new Logger('AggregateExecutor');
  readonly stats: ExecutionStats = { executed: 0, conflicts: 0 };

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly loader: AggregateLoader,
    @Inject(AGGREGATE_SETTINGS) private readonly settings: AggregateSettings,
    private readonly publisher: CommitPublisher,
    private readonly repeats: CommandRepeats,
    @Inject(AppendHook) private readonly appendHook: AppendHook,
    @Inject(Telemetry) private readonly telemetry: Telemetry,
    @Inject(StateCodec) private readonly codec: StateCodec,
  ) {}

  /**
   * Starts the lookup of an idempotent command's id ahead of its turn; pass the promise back to
   * {@link execute} only if it still holds then (see `AggregateManager.execute`).
   */
  lookAhead(envelope: CommandEnvelope): Promise<CommandRecord | undefined> {
    const lookup = this.repeats.find(envelope);
    // Unused when the turn fails or the lookup went stale; its failure then concerns no one.
    lookup.catch(() => undefined);
    return lookup;
  }

  /**
   * `admit`, when given, may refuse a retry after a conflict by throwing (see `AggregateManager.execute`);
   * `lookup`, the first attempt's lookup of an idempotent command, already started.
   */
  async execute(
    instance: AggregateInstance,
    envelope: CommandEnvelope,
    admit?: () => void,
    lookup?: Promise<CommandRecord | undefined>,
  ): Promise<ExecutionResult> {
    try {
      return await this.attempt(instance, envelope, admit, lookup);
    } catch (error) {
      // The handler or an apply may have changed the state before the failure, and none of it is
      // stored: the next command rebuilds the instance from the store instead of building on it.
      instance.reset();
      throw error;
    }
  }

  private async attempt(
    instance: AggregateInstance,
    envelope: CommandEnvelope,
    admit?: () => void,
    lookup?: Promise<CommandRecord | undefined>,
  ): Promise<ExecutionResult> {
    let command: CommandToRecord | undefined;
    const expected = envelope.expectedVersion;
    for (let attempt = 1; ; attempt++) {
      if (Date.now() > envelope.deadline) throw new CommandTimeoutError(envelope.commandName, envelope.timeout);
      if (instance.stale) await this.loader.catchUp(instance);
      const earlier = envelope.idempotent ? await (attempt === 1 && lookup ? lookup : this.repeats.find(envelope)) : undefined;
      if (earlier) return this.repeats.outcome(instance, envelope, earlier, toRecord(envelope));
      // A precondition comes before the command's own rules, as HTTP evaluates one before its method.
      if (expected !== undefined) await this.expectVersion(instance, envelope, expected);
      if (instance.deleted && instance.definition.metadata.onDeleted === 'refuse') throw new StreamDeletedError(instance.streamId, instance.version);
      const running = instance.execute(envelope.command);
      const produced = Array.isArray(running) ? running : await running;
      if (produced.length === 0) return this.unchanged(instance, envelope);
      // Recorded only when its id may come again: a new id no one else holds is never repeated.
      if (envelope.idempotent || envelope.forwarded) command ??= toRecord(envelope);
      const newEvents = this.serialize(instance, envelope, produced);
      try {
        const appended = await this.telemetry.append(envelope, newEvents, () =>
          this.store.appendToStream(instance.streamId, instance.version, newEvents, { command, inTransaction: this.appendHook.inTransaction() }),
        );
        // Revived from the serializer's own copy of the data: the store's may be shared and read-only.
        const recorded = appended.events;
        const events = new Array<object>(recorded.length);
        for (let i = 0; i < recorded.length; i++) {
          events[i] = this.serializer.deserialize(recorded[i], newEvents[i].data);
          instance.apply(recorded[i].eventType, events[i], recorded[i].streamVersion);
        }
        this.publisher.published(instance, recorded, events);
        return this.result(instance, envelope, appended.globalPosition, events, newEvents);
      } catch (error) {
        // Another process recorded this id between the lookup and the append: answer as a repeat.
        if (isDuplicateCommand(error) && command) return this.repeatAfterRace(instance, envelope, command, error);
        if (!isWrongExpectedVersion(error)) throw error;
        this.stats.conflicts++;
        if (expected !== undefined && pinsVersion(expected)) {
          throw expectationFailed(envelope, expected, error.actual ?? (await this.store.streamVersion(instance.streamId)));
        }
        if (attempt >= this.settings.maxAttempts) {
          throw new WrongExpectedVersionError(
            instance.streamId,
            instance.version,
            undefined,
            `Command '${envelope.commandName}' on '${instance.streamId}' conflicted ${attempt} times with concurrent writers; giving up`,
          );
        }
        // A cluster node that no longer owns the aggregate is told here, and forwards instead of retrying.
        admit?.();
        this.telemetry.retried(envelope, attempt + 1);
        this.logger.debug(`Conflict on ${instance.streamId} (attempt ${attempt}); reloading and retrying`);
        await conflictBackoff(attempt);
        // Not a catch-up: the refused attempt may have changed the state it ran on.
        await this.loader.reload(instance);
      }
    }
  }

  /**
   * Refuses the command unless its aggregate is where its caller expects. A mismatch is checked
   * again after reading what the store has beyond the instance, which may trail it (another node
   * wrote), so the refusal names the version the caller should read.
   */
  private async expectVersion(instance: AggregateInstance, envelope: CommandEnvelope, expected: CallerExpectation): Promise<void> {
    if (meetsExpectation(instance, expected)) return;
    await this.loader.catchUp(instance);
    if (!meetsExpectation(instance, expected)) throw expectationFailed(envelope, expected, instance.version, instance.deleted);
  }

  /** The produced events as stored records, sharing one metadata base (the serializer copies it per event); each must have its `@Apply`. */
  private serialize(instance: AggregateInstance, envelope: CommandEnvelope, produced: object[]): NewEvent[] {
    const metadata = Object.assign({}, envelope.metadata, { commandId: envelope.commandId });
    const { causationId, correlationId } = envelope;
    // The missing @Apply first: its fix also registers the class, which the serializer checks next.
    return produced.map((event) => {
      assertApplied(instance.definition, event);
      return this.serializer.serialize(event, { eventId: uuidV7(), metadata, causationId, correlationId }, instance.definition.type.name);
    });
  }

  private async repeatAfterRace(instance: AggregateInstance, envelope: CommandEnvelope, command: CommandToRecord, error: unknown) {
    const earlier = await this.repeats.find(envelope);
    if (!earlier) throw error;
    return this.repeats.outcome(instance, envelope, earlier, command);
  }

  /**
   * A command that produced no event stores nothing, so it may leave no trace either: its handler
   * may have changed the state it ran on. The next command, or the answer, sees the stored fold.
   */
  private async unchanged(instance: AggregateInstance, envelope: CommandEnvelope): Promise<ExecutionResult> {
    if (envelope.returnState) {
      await this.loader.reload(instance);
      return this.result(instance, envelope, 0, []);
    }
    const result = this.result(instance, envelope, 0, []);
    instance.reset();
    return result;
  }

  private result(
    instance: AggregateInstance,
    envelope: CommandEnvelope,
    globalPosition: number,
    events: object[],
    stored: NewEvent[] = [],
  ): ExecutionResult {
    this.stats.executed++;
    return {
      aggregateId: envelope.aggregateId,
      streamId: instance.streamId,
      aggregateVersion: instance.version,
      globalPosition,
      events,
      eventTypes: stored.map((event) => event.eventType),
      aggregateState: envelope.returnState ? instance.stateCopy(this.codec) : undefined,
      metadata: envelope.metadata,
    };
  }
}
