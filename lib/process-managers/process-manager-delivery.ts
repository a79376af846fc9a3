import type { Type } from '@nestjs/common';
import type { ProcessStep } from '../decorators/process-step.decorator.js';
import type { EventSerializer } from '../events/event-serializer.js';
import type { StateCodec } from '../events/state-codec.js';
import { TaggedStateCodec } from '../events/tagged-state-codec.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { CommandDispatcher } from './command-dispatcher.interface.js';
import { DispatchOrigin } from '../subscriptions/dispatch-origin.js';
import type { DeliveryUnit, EventDelivery } from '../subscriptions/event-delivery.js';
import { processContextOf, ScheduleBook } from './process-context.js';
import { ProcessCommandSender } from './process-command-sender.js';
import { ProcessInstances } from './process-instances.js';
import type { ProcessManagerBuilder } from './process-manager-builder.js';
import { ScheduledCommandTypes } from './scheduled-command-types.js';
import { type FirerContext, ScheduledCommandFirer } from './scheduled-command-firer.js';
import { asList } from '../util/as-list.js';

export { processStateStreamId } from './process-instances.js';

/** What a process manager's delivery works with besides the store and the dispatcher. */
export interface ProcessDeliveryOptions {
  /** Stores and revives scheduled commands. @default one that knows the classes it has seen */
  commandTypes?: ScheduledCommandTypes;
  /** The clock `{ after: ms }` counts from. @default the system clock */
  now?: () => Date;
  /** Called after a step scheduled something, so the scheduler can look sooner. */
  scheduled?: () => void;
  /** Builds the instances with their constructor's dependencies. @default one that calls the constructor without arguments */
  builder?: ProcessManagerBuilder;
  /** The process manager is a strong subscription: its commands' consistency waits must leave it out. @default false */
  strong?: boolean;
  /** Waits out an `onError` retry delay. @default a timer (real time) */
  wait?: (ms: number) => Promise<void>;
  /** Stores and revives the instances' state. @default a `TaggedStateCodec` without classes */
  stateCodec?: StateCodec;
}

/**
 * Runs process-manager steps. Per event and per process id it routes to: load the instance's
 * state, run the step, dispatch the commands it returns, then save the state (stamped with the
 * event's global position) together with the commands it scheduled or cancelled, or, on a stop
 * step, delete it and its pending scheduled commands. The runner moves the checkpoint afterwards.
 *
 * At-least-once: a crash after dispatching but before the state is saved runs the step again on
 * redelivery and dispatches its commands again. They carry the same `commandId` both times
 * (derived from the event id, and the process id when the step routes to several), so the command
 * layer recognises the repeat. State stamped at or past the event's position means the event was
 * already handled by that instance.
 */
export class ProcessManagerDelivery implements EventDelivery {
  private readonly instances: ProcessInstances;
  private readonly sender: ProcessCommandSender;
  private readonly types: ScheduledCommandTypes;
  private readonly now: () => Date;
  private readonly revived = new WeakMap<RecordedEvent, object>();

  constructor(
    private readonly name: string,
    private readonly processManager: { type: Type; steps: Map<string, ProcessStep> },
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly dispatcher: CommandDispatcher,
    private readonly options: ProcessDeliveryOptions = {},
  ) {
    this.types = options.commandTypes ?? new ScheduledCommandTypes();
    this.instances = new ProcessInstances(
      name,
      processManager.type,
      store,
      this.types,
      options.stateCodec ?? new TaggedStateCodec(),
      options.builder,
    );
    this.sender = new ProcessCommandSender(processManager.type.name, dispatcher, options.wait);
    this.now = options.now ?? (() => new Date());
  }

  handles(eventType: string): boolean {
    return this.processManager.steps.has(eventType);
  }

  eventTypes(): string[] {
    return [...this.processManager.steps.keys()];
  }

  /** The process ids `recorded` routes to, in the order the step gave them; empty when none. */
  processIds(recorded: RecordedEvent): string[] {
    const step = this.processManager.steps.get(recorded.eventType);
    if (!step) return [];
    const routed = step.processId(this.event(recorded));
    const ids = (Array.isArray(routed) ? routed : [routed]).filter((id) => id !== undefined && id !== null && id !== '').map(String);
    return [...new Set(ids)];
  }

  async deliver(recorded: RecordedEvent): Promise<void> {
    for (const processId of this.processIds(recorded)) await this.deliverTo(recorded, processId);
  }

  /** One unit per process id: the process id is the partition, so one instance sees its events in order. */
  units(recorded: RecordedEvent): DeliveryUnit[] {
    return this.processIds(recorded).map((processId) => ({ key: processId, run: () => this.deliverTo(recorded, processId) }));
  }

  /** Runs the step of `recorded` for the one instance `processId`: load, run, dispatch, schedule, save. */
  async deliverTo(recorded: RecordedEvent, processId: string): Promise<void> {
    const step = this.processManager.steps.get(recorded.eventType);
    if (!step) return;
    const saved = await this.instances.load(processId);
    if (saved && saved.stamp >= recorded.globalPosition) return;
    if (!saved && step.kind !== 'start') return;
    const loaded = saved ?? { instance: this.instances.create(), stamp: 0 };
    const event = this.event(recorded);
    const book = new ScheduleBook(this.name, this.now);
    const run = loaded.instance[step.method] as (event: object, context: unknown) => unknown;
    const produced = await run.call(loaded.instance, event, processContextOf(recorded, processId, book));
    const send = () =>
      this.sender.send({
        instance: loaded.instance,
        processId,
        commands: asList(produced),
        // Steps routed to one id keep the ids of earlier releases, so an in-flight repeat is still recognised.
        idParts: Array.isArray(step.processId(event)) ? [this.name, recorded.eventId, processId] : [this.name, recorded.eventId],
        envelope: { causationId: recorded.eventId, correlationId: recorded.correlationId ?? recorded.eventId, metadata: recorded.metadata },
        event,
      });
    // A strong process manager cannot pass this event before its commands return: their waits leave it out.
    const outcome = await (this.options.strong ? DispatchOrigin.of(this.name, [recorded]).enter(send) : send());
    const ended = step.kind === 'stop' || outcome === 'stopped';
    await this.instances.save({ processId, loaded, ended, stamp: recorded.globalPosition, book, cause: recorded });
    if (book.scheduled.size && !ended) this.options.scheduled?.();
  }

  /** What fires this process manager's scheduled commands; undefined when the store keeps none. */
  scheduledCommandFirer(settings: Pick<FirerContext, 'maxAttempts' | 'retryDelay' | 'logger'>): ScheduledCommandFirer | undefined {
    const scheduled = this.store.scheduledCommands;
    if (!scheduled) return undefined;
    const { instances, sender, dispatcher, types, now } = this;
    return new ScheduledCommandFirer({ ...settings, instances, sender, scheduled, dispatcher, types, now });
  }

  private event(recorded: RecordedEvent): object {
    let event = this.revived.get(recorded);
    if (!event) this.revived.set(recorded, (event = this.serializer.deserialize(recorded)));
    return event;
  }
}
