import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnknownEventTypeError } from '../errors/unknown-event-type.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import { StateCodec } from '../events/state-codec.js';
import type { JsonObject } from '../event-store/recorded-event.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { UnreadableEvents } from '../events/unreadable-events.js';
import type { AggregateInstance } from './aggregate-instance.js';

/** Rebuilds aggregate state from the latest usable snapshot and the events after it. */
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
   * release, is passed over: the events say the same.
   */
  async load(instance: AggregateInstance): Promise<void> {
    const { metadata } = instance.definition;
    if (metadata.snapshotEvery > 0) {
      const snapshot = await this.store.readSnapshot(instance.streamId);
      if (snapshot && snapshot.snapshotType === metadata.type && snapshot.snapshotVersion === metadata.snapshotVersion) {
        const fields = this.decode(instance, snapshot.data);
        if (fields) instance.restore(fields, snapshot.streamVersion);
      }
    }
    await this.catchUp(instance);
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

  /** Applies every event written after the instance's version. */
  async catchUp(instance: AggregateInstance): Promise<void> {
    for await (const recorded of this.store.iterateStream(instance.streamId, { fromVersion: instance.version + 1 })) {
      if (!this.serializer.isKnown(recorded.eventType)) {
        const error = new UnknownEventTypeError(recorded.eventType, `stream '${instance.streamId}' at version ${recorded.streamVersion}`);
        this.unreadable.met(recorded, error);
        throw error;
      }
      const applied = instance.definition.appliers.has(recorded.eventType);
      instance.apply(recorded.eventType, applied ? this.serializer.deserialize(recorded) : recorded.data, recorded.streamVersion);
    }
    instance.stale = false;
  }
}
