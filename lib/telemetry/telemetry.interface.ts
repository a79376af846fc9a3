import type { NewEvent, RecordedEvent } from '../event-store/recorded-event.js';
import type { TraceCarrier } from './trace-carrier.js';

/** What telemetry reads of a command on its way (a `CommandEnvelope` fits it). */
export interface TracedCommand {
  commandName: string;
  commandId: string;
  aggregateType: string;
  aggregateId: string;
  streamId: string;
}

/** Readings a metric reader takes when it collects: nothing here runs on the command or event path. */
export interface TelemetryGauges {
  /** Aggregate instances held in memory by this process. */
  liveAggregates(): number;
  /** Events between the store's head and each subscription's checkpoint, for the subscriptions this process runs. */
  subscriptionLag(): Promise<Array<{ subscription: string; lag: number }>>;
  /** Events set aside per subscription, waiting for an operator. */
  parkedEvents(): Promise<Array<{ subscription: string; count: number }>>;
}

/**
 * Where the library reports what it does: spans and metrics (OpenTelemetry, when its API is
 * installed) and `node:diagnostics_channel` messages. Each method wraps one step and returns what
 * `run` returns, unchanged; an implementation with nothing to report calls `run` and nothing else.
 */
export interface Telemetry {
  /** A whole `CommandGateway.dispatch`, middleware and consistency wait included. */
  dispatch<T>(command: object, run: () => Promise<T>): Promise<T>;
  /** A command sent to the node that owns its aggregate; `run` gets the trace context to send along. */
  forward<T>(command: TracedCommand, owner: string, run: (trace: TraceCarrier | undefined) => Promise<T>): Promise<T>;
  /** A command received from another node, continuing the sender's trace. */
  receive<T>(command: TracedCommand, trace: TraceCarrier | undefined, run: () => Promise<T>): Promise<T>;
  /** Loading an aggregate instance from its snapshot and events. */
  load<T>(aggregateType: string, streamId: string, run: () => Promise<T>): Promise<T>;
  /** Running a command on its loaded instance, retries after conflicts included. */
  execute<T>(command: TracedCommand, run: () => Promise<T>): Promise<T>;
  /** A command about to run again after a conflicting append. */
  retried(command: TracedCommand, attempt: number): void;
  /** One append of a command's events; the trace context is written into each event's metadata before `run`. */
  append<T>(command: TracedCommand, events: NewEvent[], run: () => Promise<T>): Promise<T>;
  /** One event handed to a handler, projector or process manager. */
  deliver<T>(subscription: string, event: RecordedEvent, run: () => Promise<T>): Promise<T>;
  /** Registers the readings behind the observable gauges; they are read until the returned function is called. */
  observe(gauges: TelemetryGauges): () => void;
}

/** Injection token of the {@link Telemetry} port. */
export const Telemetry = Symbol('Telemetry');
