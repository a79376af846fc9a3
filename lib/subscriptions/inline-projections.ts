import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import { InlineProjectionFailedError } from '../errors/inline-projection-failed.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import type { AppendHook } from '../event-store/append-hook.interface.js';
import type { AppendOptions } from '../event-store/command-record.js';
import { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import { eventContextOf } from './event-context.js';
import { SubscriptionCatalog } from './subscription-catalog.js';

/**
 * Runs the `@Projector({ inline: true })` classes inside each command's append transaction: the
 * commit path asks for {@link inTransaction} and hands it to the store's append as `inTransaction`. Events
 * reach each projector in stream order, one commit at a time, on the node that wrote them.
 */
@Injectable()
export class InlineProjections implements AppendHook, OnApplicationBootstrap {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly catalog: SubscriptionCatalog,
  ) {}

  /** Refuses inline projectors on a store without transactions, naming them and the fix. */
  onApplicationBootstrap(): void {
    const names = this.catalog.inline().map((d) => d.metadata.name);
    if (names.length && !this.store.sql) {
      throw new ConfigurationError(
        `Inline projectors [${names.join(', ')}] need a SQL event store (postgres or embedded): they write in the append's transaction. ` +
          'Use one of those adapters, or declare them without `inline: true` to run as asynchronous projectors',
      );
    }
  }

  /** The work to run in an append's transaction, or undefined when there is no inline projector. */
  inTransaction(): AppendOptions['inTransaction'] {
    return this.catalog.inline().length ? this.project : undefined;
  }

  private readonly project = async (sql: SqlExecutor, events: RecordedEvent[]): Promise<void> => {
    for (const { metadata, handlers } of this.catalog.inline()) {
      for (const recorded of events) {
        const handler = handlers.get(recorded.eventType);
        if (!handler) continue;
        try {
          await handler(this.serializer.deserialize(recorded), eventContextOf(recorded, sql));
        } catch (error) {
          throw new InlineProjectionFailedError(metadata.name, recorded.streamId, error);
        }
      }
    }
  };
}
