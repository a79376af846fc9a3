import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type AppendedMessage, PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';
import { AggregateManager } from './aggregate-manager.js';
import { AGGREGATE_SETTINGS, type AggregateSettings } from './live-aggregates.options.js';

/**
 * Marks live instances stale when another node announces a write to their stream, so they catch
 * up before their next command instead of after a conflict. Only an optimisation: the append's
 * version check is what keeps writers honest.
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
    if (!this.settings.invalidation) return;
    this.unsubscribe = this.pubsub.subscribe<AppendedMessage>(PubSubChannels.appended, (message, from) => {
      if (from !== this.pubsub.nodeName) this.aggregates.invalidate(message.streamId, message.version);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
