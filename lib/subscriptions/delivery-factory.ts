import type { LoggerService } from '@nestjs/common';
import type { EventSerializer } from '../events/event-serializer.js';
import type { OriginDispatcher } from './dispatch-origin.js';
import { type EventDelivery, HandlerDelivery } from './event-delivery.js';
import type { SubscriptionDefinition } from './subscription-definition.js';

/** Work a subscription's owner runs beside its delivery while it holds the lease, e.g. firing due scheduled commands. */
export interface DeliveryCompanion {
  start(): void;
  stop(): Promise<void>;
}

/** What a runner delivers with: the delivery, and work that lives as long as the runner. */
export interface RunnerDelivery {
  delivery: EventDelivery;
  companion?: DeliveryCompanion;
}

/**
 * Builds the delivery of each subscription a runner runs. The runner knows only this port, so the
 * kinds of subscription with deliveries of their own (process managers) live in their own folder
 * and are wired in at the module's root.
 */
export interface DeliveryFactory {
  create(definition: SubscriptionDefinition, logger: LoggerService): RunnerDelivery;
}

/** Token of the {@link DeliveryFactory} provider. */
export const DeliveryFactory = Symbol('DeliveryFactory');

/** Delivers to the `@On`/`@OnBatch` methods of event handlers and projectors only. */
export class HandlerDeliveryFactory implements DeliveryFactory {
  /** `dispatcher` serves the handlers' `context.dispatch`; without one it refuses. */
  constructor(
    private readonly serializer: EventSerializer,
    private readonly dispatcher?: OriginDispatcher,
  ) {}

  create(definition: SubscriptionDefinition): RunnerDelivery {
    return { delivery: new HandlerDelivery(definition, this.serializer, this.dispatcher) };
  }
}
