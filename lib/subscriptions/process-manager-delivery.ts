import type { Type } from '@nestjs/common';
import type { ProcessStep } from '../decorators/process-step.decorator.js';
import type { EventSerializer } from '../events/event-serializer.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { JsonObject, RecordedEvent } from '../event-store/recorded-event.js';
import type { CommandDispatcher } from './command-dispatcher.interface.js';
import { deterministicUuid } from './deterministic-uuid.js';
import { type EventContext, eventContextOf } from './event-context.js';
import type { EventDelivery } from './event-delivery.js';
import { asList } from '../util/as-list.js';

/** Shape version of stored process-manager state. */
const STATE_VERSION = 1;

/** Stream id under which the state of one process-manager instance is kept (as a snapshot). */
export const processStateStreamId = (name: string, processId: string): string => `$pm-${name}-${processId}`;

/**
 * Runs process-manager steps. Per event: load the instance's state, run the step, dispatch the
 * commands it returns, then save the state (stamped with the event's global position) or, on a
 * stop step, delete it. The runner moves the checkpoint afterwards.
 *
 * At-least-once: a crash after dispatching but before the state is saved runs the step again on
 * redelivery and dispatches its commands again. They carry the same `commandId` both times (derived
 * from the event id), so a dispatcher can recognise the repeat. A crash after the state is saved
 * is harmless: state stamped at or past the event's position means the event was already handled.
 *
 * State is the instance's own enumerable properties, stored as JSON: keep it to plain data (a
 * `Date` comes back as a string).
 */
export class ProcessManagerDelivery implements EventDelivery {
  constructor(
    private readonly name: string,
    private readonly processManager: { type: Type; steps: Map<string, ProcessStep> },
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  handles(eventType: string): boolean {
    return this.processManager.steps.has(eventType);
  }

  async deliver(recorded: RecordedEvent): Promise<void> {
    for (const processId of this.processIds(recorded)) await this.deliverTo(recorded, processId);
  }

  /** Ids of the process instances `recorded` routes to; empty when none. */
  processIds(recorded: RecordedEvent): string[] {
    const step = this.processManager.steps.get(recorded.eventType);
    const processId = step?.processId(this.serializer.deserialize(recorded));
    // No id: the event is not part of any process (a deposit outside a transfer, say).
    return processId === undefined || processId === null || processId === '' ? [] : [String(processId)];
  }

  /** Runs the step of instance `processId` for `recorded`. */
  async deliverTo(recorded: RecordedEvent, processId: string): Promise<void> {
    const step = this.processManager.steps.get(recorded.eventType)!;
    const event = this.serializer.deserialize(recorded);
    const streamId = processStateStreamId(this.name, processId);
    const saved = await this.store.readSnapshot(streamId);
    if (saved && saved.streamVersion >= recorded.globalPosition) return;
    if (!saved && step.kind !== 'start') return;

    const instance = Object.assign(new this.processManager.type(), saved?.data) as Record<
      string | symbol,
      (event: object, context: EventContext) => unknown
    >;
    const commands = asList(await instance[step.method](event, eventContextOf(recorded)));
    for (const [index, command] of commands.entries()) {
      await this.dispatcher.dispatch(command, {
        causationId: recorded.eventId,
        correlationId: recorded.correlationId ?? recorded.eventId,
        metadata: recorded.metadata,
        commandId: deterministicUuid(this.name, recorded.eventId, index),
      });
    }
    if (step.kind === 'stop') return this.store.deleteSnapshot(streamId);
    await this.store.saveSnapshot({
      streamId,
      streamVersion: recorded.globalPosition,
      snapshotType: this.processManager.type.name,
      snapshotVersion: STATE_VERSION,
      data: JSON.parse(JSON.stringify({ ...instance })) as JsonObject,
    });
  }
}
