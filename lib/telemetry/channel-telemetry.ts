import type { NewEvent, RecordedEvent } from '../event-store/recorded-event.js';
import { TelemetryChannels } from './telemetry-channels.js';
import type { Telemetry, TracedCommand } from './telemetry.interface.js';
import type { TraceCarrier } from './trace-carrier.js';
import { commandNameOf } from '../util/command-name.js';

/**
 * Publishes each step on its `node:diagnostics_channel` channel. A channel nobody subscribes to
 * costs one property read: the step just runs.
 */
export class ChannelTelemetry implements Telemetry {
  dispatch<T>(command: object, run: () => Promise<T>): Promise<T> {
    if (!TelemetryChannels.command.hasSubscribers) return run();
    return TelemetryChannels.command.tracePromise(run, { command, commandName: commandNameOf(command) });
  }

  forward<T>(_command: TracedCommand, _owner: string, run: (trace: TraceCarrier | undefined) => Promise<T>): Promise<T> {
    return run(undefined);
  }

  receive<T>(_command: TracedCommand, _trace: TraceCarrier | undefined, run: () => Promise<T>): Promise<T> {
    return run();
  }

  load<T>(_aggregateType: string, _streamId: string, run: () => Promise<T>): Promise<T> {
    return run();
  }

  execute<T>(command: TracedCommand, run: () => Promise<T>): Promise<T> {
    if (!TelemetryChannels.execute.hasSubscribers) return run();
    return TelemetryChannels.execute.tracePromise(run, { command });
  }

  retried(command: TracedCommand, attempt: number): void {
    if (TelemetryChannels.retry.hasSubscribers) TelemetryChannels.retry.publish({ command, attempt });
  }

  append<T>(command: TracedCommand, events: NewEvent[], run: () => Promise<T>): Promise<T> {
    if (!TelemetryChannels.append.hasSubscribers) return run();
    return TelemetryChannels.append.tracePromise(run, { command, streamId: command.streamId, events });
  }

  deliver<T>(subscription: string, event: RecordedEvent, run: () => Promise<T>): Promise<T> {
    if (!TelemetryChannels.handler.hasSubscribers) return run();
    return TelemetryChannels.handler.tracePromise(run, { subscription, event });
  }

  observe(): () => void {
    return () => undefined;
  }
}
