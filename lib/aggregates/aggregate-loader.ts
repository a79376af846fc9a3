import { Inject, Injectable, Logger } from '@nestjs/common';
import { StreamTruncatedError } from '../errors/stream-truncated.error.js';
import { UnknownEventTypeError } from '../errors/unknown-event-type.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import { StateCodec } from '../events/state-codec.js';
import type { JsonObject, RecordedEvent } from '../event-store/recorded-event.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { openState } from '../event-store/personal-state.js';
import { isTombstone } from '../event-store/stream-removal.js';
import { UnreadableEvents } from '../events/unreadable-events.js';
import type { AggregateInstance } from './aggregate-instance.js';
import { historyGone } from './history-gone.js';

/**
 * Rebuilds aggregate state from the latest usable snapshot and the events after it.
 *
 * The one place that decides whether a stream whose early events were removed (a truncation, or a
 * hard delete) still loads, so that no instance is ever built on a silently wrong state:
 * - the events applied must continue the instance's version without a jump. A jump means events
 *   were removed that neither the snapshot nor the state covers; a load then fails with
 *   `StreamTruncatedError`, saying whether the snapshot is missing, passed over (another shape
 *   version or type, or unreadable) or too old;
 * - a `StreamDeleted` tombstone makes everything before it irrelevant: the state starts fresh at
 *   the tombstone's version, marked deleted, so a jump up to a tombstone is no loss;
 * - a live instance that falls behind a truncation (it was stale) is loaded again from the snapshot;
 * - a load up to a version (time travel) takes a snapshot only at or below it, and fails when the
 *   events up to it were removed: `StreamTruncatedError`, or `StreamDeletedError` after a hard delete.
 */
@Injectable()
export class AggregateLoader {
  private readonly logger = new Logger('AggregateLoader');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly unreadable: UnreadableEvents,
    @Inject(StateCodec) private readonly codec: StateCodec,
  ) {}

  /**
   * Loads a fresh instance: snapshot first (when its shape version matches and the codec reads
   * it), then later events. A snapshot the codec does not read, such as one written by an older
   * release, is passed over: the events say the same, unless they were truncated. With `upTo`,
   * the instance is loaded as it was at that version, which the stream has reached.
   */
  async load(instance: AggregateInstance, upTo?: number): Promise<void> {
    const { metadata } = instance.definition;
    let uncovered = `its aggregate ${metadata.type} takes no snapshots (snapshotEvery is 0)`;
    if (metadata.snapshotEvery > 0) {
      const snapshot = await this.store.readSnapshot(instance.streamId);
      uncovered = 'it has no snapshot';
      if (snapshot && upTo !== undefined && snapshot.streamVersion > upTo) {
        uncovered = `its snapshot holds version ${snapshot.streamVersion}, past version ${upTo}`;
      } else if (snapshot && snapshot.snapshotType === metadata.type && snapshot.snapshotVersion === metadata.snapshotVersion) {
        const fields = this.decode(instance, await openState(this.store.subjectKeys, instance.streamId, snapshot.data));
        if (fields) instance.restore(fields, snapshot.streamVersion);
        uncovered = fields ? `its snapshot covers only version ${snapshot.streamVersion}` : 'its snapshot could not be decoded';
      } else if (snapshot) {
        uncovered = `its snapshot (${snapshot.snapshotType}, shape version ${snapshot.snapshotVersion}) is passed over by ${metadata.type} at snapshotVersion ${metadata.snapshotVersion}`;
      }
    }
    await this.catchUp(instance, uncovered, upTo);
  }

  private decode(instance: AggregateInstance, data: JsonObject): object | undefined {
    try {
      return this.codec.decode(data);
    } catch (error) {
      this.logger.warn(`Snapshot of ${instance.streamId} passed over, replaying its events instead: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Rebuilds an instance from scratch, dropping whatever its state held that the store does not. */
  async reload(instance: AggregateInstance): Promise<void> {
    instance.reset();
    await this.load(instance);
    instance.loaded = true;
  }

  /**
   * Applies every event written after the instance's version (up to `upTo`, when given). `uncovered`,
   * while loading, says why no snapshot covers removed events; a live instance (none given) that
   * meets removed events is loaded again instead.
   */
  async catchUp(instance: AggregateInstance, uncovered?: string, upTo?: number): Promise<void> {
    const gone = (next?: RecordedEvent) =>
      historyGone(instance.streamId, { point: `version ${upTo}`, uncovered: uncovered!, next, removedUpTo: upTo! });
    const read = { fromVersion: instance.version + 1, maxCount: upTo === undefined ? undefined : upTo - instance.version };
    for await (const recorded of this.store.iterateStream(instance.streamId, read)) {
      if (upTo !== undefined && recorded.streamVersion > upTo) {
        // Past a hole the page may run beyond `upTo`; it is a loss only when `upTo` was not reached.
        if (instance.version === upTo) break;
        throw gone(recorded);
      }
      if (isTombstone(recorded)) {
        instance.markDeleted(recorded.streamVersion);
        continue;
      }
      if (recorded.streamVersion !== instance.version + 1) {
        if (uncovered === undefined) return this.reload(instance);
        throw upTo === undefined ? new StreamTruncatedError(instance.streamId, recorded.streamVersion, uncovered) : gone(recorded);
      }
      this.apply(instance, recorded);
    }
    if (upTo !== undefined && instance.version < upTo) throw gone();
    instance.stale = false;
  }

  private apply(instance: AggregateInstance, recorded: RecordedEvent): void {
    if (!this.serializer.isKnown(recorded.eventType)) {
      const error = new UnknownEventTypeError(recorded.eventType, `stream '${instance.streamId}' at version ${recorded.streamVersion}`);
      this.unreadable.met(recorded, error);
      throw error;
    }
    const applied = instance.definition.appliers.has(recorded.eventType);
    instance.apply(recorded.eventType, applied ? this.serializer.deserialize(recorded) : recorded.data, recorded.streamVersion);
  }
}
