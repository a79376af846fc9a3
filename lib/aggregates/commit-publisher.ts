import { Inject, Injectable, Logger } from '@nestjs/common';
import { distinctEventTypes } from '../event-store/distinct-event-types.js';
import { EventBus } from '@nestjs/cqrs';
import { StateCodec } from '../events/state-codec.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { sealState } from '../event-store/personal-state.js';
import type { RecordedEvent, Snapshot } from '../event-store/recorded-event.js';
import { type AppendedMessage, PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';
import type { AggregateInstance } from './aggregate-instance.js';

/**
 * Everything that follows a successful append, none of it needed for correctness: a snapshot
 * when one is due, the events on @nestjs/cqrs's EventBus, and a wake-up plus an invalidation
 * for other nodes.
 */
@Injectable()
export class CommitPublisher {
  private readonly logger = new Logger('CommitPublisher');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly eventBus: EventBus,
    @Inject(StateCodec) private readonly codec: StateCodec,
  ) {}

  published(instance: AggregateInstance, recorded: RecordedEvent[], events: object[]): void {
    this.snapshotIfDue(instance, recorded.length);
    this.eventBus.publishAll(events);
    const appended: AppendedMessage = {
      position: recorded[recorded.length - 1].globalPosition,
      streamId: instance.streamId,
      version: instance.version,
      eventTypes: distinctEventTypes(recorded),
    };
    void this.pubsub.publish(PubSubChannels.appended, appended);
  }

  private snapshotIfDue(instance: AggregateInstance, appended: number): void {
    const { snapshotEvery } = instance.definition.metadata;
    if (!snapshotEvery || Math.floor(instance.version / snapshotEvery) === Math.floor((instance.version - appended) / snapshotEvery)) return;
    const failed = (error: Error) => this.logger.warn(`Snapshot of ${instance.streamId} failed: ${error.message}`);
    // The events are stored: a state the codec cannot keep, or a personal field without a subject, only costs the snapshot.
    this.snapshotOf(instance)
      .then((snapshot) => this.store.saveSnapshot(snapshot))
      .catch(failed);
  }

  private async snapshotOf(instance: AggregateInstance): Promise<Snapshot> {
    const { type, snapshotVersion, personal } = instance.definition.metadata;
    const { streamId, version: streamVersion } = instance;
    const encoded = this.codec.encode(instance.state);
    const data = personal ? await sealState(this.store.subjectKeys, streamId, encoded, personal) : encoded;
    return { streamId, streamVersion, snapshotType: type, snapshotVersion, data };
  }
}
