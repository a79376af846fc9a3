import type { CommandEnvelope } from '../../aggregates/command-envelope.js';
import type { CommandRouter } from '../../aggregates/command-router.js';
import type { ExecutionResult } from '../../aggregates/execution-result.js';
import type { WireError } from '../../cluster/wire-error.js';
import { CommandRouteNotFoundError } from '../../errors/command-route-not-found.error.js';
import type { RecordedEvent } from '../../event-store/recorded-event.js';
import type { EventSerializer } from '../../events/event-serializer.js';
import type { StateCodec } from '../../events/state-codec.js';
import type { TraceCarrier } from '../../telemetry/trace-carrier.js';

/** Request pattern of a forwarded command. */
export const COMMAND_PATTERN = 'es.cluster.command';

/** A command on its way to its owner: the class by name, the payload as JSON, and the dispatch options. */
export interface WireCommand {
  commandName: string;
  command: Record<string, unknown>;
  commandId: string;
  causationId: string;
  correlationId: string;
  metadata: Record<string, unknown>;
  /** Milliseconds the caller still waits: clocks differ between nodes, so no absolute deadline crosses. */
  remaining: number;
  timeout: number;
  returnState: boolean;
  idempotent: boolean;
  /** How many nodes passed it on already; a node whose view differs forwards once, never more. */
  hops: number;
  /** The sender's trace context (absent when the sender records no trace, or runs an older version). */
  trace?: TraceCarrier;
  /** The caller's expected version; absent when it checks none. */
  expectedVersion?: CommandEnvelope['expectedVersion'];
}

interface WireEvent {
  eventType: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** An {@link ExecutionResult} with its events and state as JSON. */
export interface WireResult extends Omit<ExecutionResult, 'events' | 'aggregateState'> {
  aggregateType: string;
  events: WireEvent[];
  aggregateState?: Record<string, unknown>;
}

/** The owner's answer. */
export type WireReply = { ok: true; result: WireResult } | { ok: false; error: WireError };

export function commandToWire(envelope: CommandEnvelope, hops: number, trace?: TraceCarrier): WireCommand {
  return {
    commandName: envelope.commandName,
    command: { ...envelope.command },
    commandId: envelope.commandId,
    causationId: envelope.causationId,
    correlationId: envelope.correlationId,
    metadata: envelope.metadata,
    remaining: envelope.deadline - Date.now(),
    timeout: envelope.timeout,
    returnState: envelope.returnState,
    idempotent: envelope.idempotent,
    hops,
    trace,
    expectedVersion: envelope.expectedVersion,
  };
}

/** Revives the command as an instance of its registered class and routes it again (which validates it). */
export function commandFromWire(wire: WireCommand, router: CommandRouter): CommandEnvelope {
  const type = router.commandClass(wire.commandName);
  if (!type) throw new CommandRouteNotFoundError(wire.commandName);
  const command = Object.assign(Object.create(type.prototype as object) as object, wire.command);
  const route = router.route(command);
  return {
    command,
    commandName: wire.commandName,
    commandId: wire.commandId,
    aggregateType: route.definition.metadata.type,
    aggregateId: route.aggregateId,
    streamId: route.streamId,
    causationId: wire.causationId,
    correlationId: wire.correlationId,
    metadata: wire.metadata,
    deadline: Date.now() + wire.remaining,
    timeout: wire.timeout,
    returnState: wire.returnState,
    idempotent: wire.idempotent,
    forwarded: true,
    expectedVersion: wire.expectedVersion,
  };
}

export function resultToWire(result: ExecutionResult, aggregateType: string, serializer: EventSerializer, codec: StateCodec): WireResult {
  return {
    ...result,
    aggregateType,
    events: result.events.map((event) => {
      const { eventType, data, metadata } = serializer.serialize(event, { eventId: '' });
      return { eventType, data, metadata: metadata ?? {} };
    }),
    aggregateState: result.aggregateState && codec.encode(result.aggregateState),
  };
}

/** Revives events as their registered classes and the state as the aggregate class, through the state codec. */
export function resultFromWire(wire: WireResult, serializer: EventSerializer, router: CommandRouter, codec: StateCodec): ExecutionResult {
  const { aggregateType, ...rest } = wire;
  const type = router.definition(aggregateType)?.type;
  return {
    ...rest,
    events: wire.events.map((event) => serializer.deserialize(event as unknown as RecordedEvent)),
    aggregateState: wire.aggregateState && type ? Object.assign(new type() as object, codec.decode(wire.aggregateState)) : undefined,
  };
}
