import { DomainEvent } from '../decorators/domain-event.decorator.js';
import { STREAM_DELETED_TYPE } from '../event-store/stream-removal.js';

/**
 * The tombstone a deleted stream ends with (`EventStore.deleteStream`, the CLI's `delete`), stored
 * as `$StreamDeleted`. Every serializer knows it, so a subscription or process manager may handle
 * it with `@On(StreamDeleted)` like any event (to drop a read model's row, say); its context names
 * the stream and the tombstone's version.
 */
@DomainEvent(STREAM_DELETED_TYPE)
export class StreamDeleted {
  /** The deleted stream. */
  readonly streamId!: string;
}
