import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { NewEvent, RecordedEvent } from '../event-store/recorded-event.js';
import type { TracedCommand } from './telemetry.interface.js';

/** Message of the `nestjs-event-sourcing:command` tracing channel; `result` or `error` is set when the dispatch ends. */
export interface CommandMessage {
  command: object;
  commandName: string;
  result?: unknown;
  error?: unknown;
}

/** Message of the `nestjs-event-sourcing:execute` tracing channel (a command run on its aggregate, on the node that owns it). */
export interface ExecuteMessage {
  command: TracedCommand;
  result?: unknown;
  error?: unknown;
}

/** Message of the `nestjs-event-sourcing:append` tracing channel; `result` is the store's `AppendResult`. */
export interface AppendMessage {
  command: TracedCommand;
  streamId: string;
  events: NewEvent[];
  result?: unknown;
  error?: unknown;
}

/** Message of the `nestjs-event-sourcing:handler` tracing channel (one event delivered to one subscription). */
export interface HandlerMessage {
  subscription: string;
  event: RecordedEvent;
  error?: unknown;
}

/** Message of the `nestjs-event-sourcing:retry` channel: a command runs again after a conflicting append. */
export interface RetryMessage {
  command: TracedCommand;
  attempt: number;
}

/**
 * The `node:diagnostics_channel` channels the library publishes on. The tracing channels publish
 * `start`, `end`, `asyncStart`, `asyncEnd` and `error` (subscribe with `tracingChannel(name).subscribe`).
 */
export const TelemetryChannels = {
  command: tracingChannel<unknown, CommandMessage>('nestjs-event-sourcing:command'),
  execute: tracingChannel<unknown, ExecuteMessage>('nestjs-event-sourcing:execute'),
  append: tracingChannel<unknown, AppendMessage>('nestjs-event-sourcing:append'),
  handler: tracingChannel<unknown, HandlerMessage>('nestjs-event-sourcing:handler'),
  retry: channel('nestjs-event-sourcing:retry'),
};
