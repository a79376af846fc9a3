import { Inject, Injectable, type LoggerService, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigurationError } from '../errors/configuration.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import { StateCodec } from '../events/state-codec.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { type DeliveryFactory, HandlerDeliveryFactory, type RunnerDelivery } from '../subscriptions/delivery-factory.js';
import { OriginDispatcher } from '../subscriptions/dispatch-origin.js';
import type { SubscriptionDefinition } from '../subscriptions/subscription-definition.js';
import { SUBSCRIPTIONS_SETTINGS, type SubscriptionsSettings } from '../subscriptions/subscriptions.options.js';
import { CommandClassResolver } from './command-class-resolver.interface.js';
import { CommandDispatcher } from './command-dispatcher.interface.js';
import { CommandScheduler } from './command-scheduler.js';
import { ProcessManagerBuilder } from './process-manager-builder.js';
import { ProcessManagerDelivery } from './process-manager-delivery.js';
import { ScheduledCommandTypes } from './scheduled-command-types.js';

/**
 * Deliveries for every kind of subscription: a process manager gets its steps' delivery and, on a
 * store that keeps scheduled commands, the scheduler that fires them; handlers and projectors get
 * the plain delivery.
 */
@Injectable()
export class ProcessManagerDeliveryFactory implements DeliveryFactory {
  private readonly handlers: HandlerDeliveryFactory;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
    @Optional() @Inject(CommandDispatcher) private readonly dispatcher?: CommandDispatcher,
    /** The application's command classes, to revive scheduled commands stored by earlier runs or other processes. */
    @Optional() @Inject(CommandClassResolver) private readonly commandClasses?: CommandClassResolver,
    /** Serves `context.dispatch` of handlers and projectors. */
    @Optional() @Inject(OriginDispatcher) origins?: OriginDispatcher,
    /** Finds the providers process managers inject. */
    @Optional() private readonly moduleRef?: ModuleRef,
    @Optional() @Inject(StateCodec) private readonly stateCodec?: StateCodec,
  ) {
    this.handlers = new HandlerDeliveryFactory(serializer, origins);
  }

  /** Throws `ConfigurationError` for a process manager when no command dispatcher is provided. */
  create(definition: SubscriptionDefinition, logger: LoggerService): RunnerDelivery {
    const { processManager, metadata } = definition;
    if (!processManager) return this.handlers.create(definition);
    if (!this.dispatcher) throw new ConfigurationError(`Process manager '${metadata.name}' needs a command dispatcher to send its commands`);
    let scheduler: CommandScheduler | undefined;
    const commandTypes = new ScheduledCommandTypes(this.commandClasses);
    const moduleRef = this.moduleRef;
    const builder = moduleRef && ProcessManagerBuilder.resolve(processManager.type, (token) => moduleRef.get(token as never, { strict: false }));
    const delivery = new ProcessManagerDelivery(metadata.name, processManager, this.store, this.serializer, this.dispatcher, {
      commandTypes,
      scheduled: () => scheduler?.wake(),
      builder,
      strong: metadata.consistency === 'strong',
      stateCodec: this.stateCodec,
    });
    const firer = delivery.scheduledCommandFirer({ ...this.settings, logger });
    if (firer) scheduler = new CommandScheduler(metadata.name, firer, this.store, this.settings, logger);
    return { delivery, companion: scheduler };
  }
}
