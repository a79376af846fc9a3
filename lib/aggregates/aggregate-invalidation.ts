import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { subjectOfStream } from '../event-store/forget-subject.js';
import { type AppendedMessage, PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';
import { AggregateManager } from './aggregate-manager.js';
import { AGGREGATE_SETTINGS, type AggregateSettings } from './live-aggregates.options.js';

/**
 * Marks live instances stale when another node announces a write to their stream, so they catch
 * up before their next command instead of after a conflict. Only an optimisation: the append's
 * version check is what keeps writers honest. A forget announced by another node drops the
 * instances whose state names the forgotten person, whatever `invalidation` says: the store
 * already reads their personal fields as forgotten, and memory should not say otherwise.
 */
@Injectable()
export class AggregateInvalidation implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    @Inject(PubSub) private readonly pubsub: PubSub,
    private readonly aggregates: AggregateManager,
    @Inject(AGGREGATE_SETTINGS) private readonly settings: AggregateSettings,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.pubsub.subscribe<AppendedMessage>(PubSubChannels.appended, (message, from) => {
      if (from === this.pubsub.nodeName) return;
      const forgotten = subjectOfStream(message.streamId);
      if (forgotten !== undefined) this.aggregates.releaseSubject(forgotten);
      else if (this.settings.invalidation) this.aggregates.invalidate(message.streamId, message.version);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
