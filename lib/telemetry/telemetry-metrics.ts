import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import { isWrongExpectedVersion } from '../errors/wrong-expected-version.error.js';
import { errorTypeOf, TelemetryAttributes as A } from './telemetry-attributes.js';
import type { TelemetryGauges } from './telemetry.interface.js';

/** The outcome attributes of a step that ended with `error` (undefined: it succeeded). */
const outcome = (base: Attributes, error: unknown): Attributes =>
  error === undefined ? { ...base, [A.outcome]: 'ok' } : { ...base, [A.outcome]: 'error', [A.errorType]: errorTypeOf(error) };

/** The library's metric instruments, on one meter. Durations are in seconds, as OpenTelemetry's conventions ask. */
export class TelemetryMetrics {
  private readonly commands: Counter;
  private readonly commandDuration: Histogram;
  private readonly conflicts: Counter;
  private readonly retries: Counter;
  private readonly appendDuration: Histogram;
  private readonly handlerDuration: Histogram;
  private readonly handlerErrors: Counter;

  constructor(private readonly meter: Meter) {
    this.commands = meter.createCounter('eventsourcing.commands', { description: 'Commands dispatched, by type and outcome' });
    this.commandDuration = meter.createHistogram('eventsourcing.command.duration', { description: 'Dispatch duration', unit: 's' });
    this.conflicts = meter.createCounter('eventsourcing.append.conflicts', {
      description: 'Appends refused: the stream moved (wrong expected version)',
    });
    this.retries = meter.createCounter('eventsourcing.command.retries', { description: 'Commands run again after a conflicting append' });
    this.appendDuration = meter.createHistogram('eventsourcing.append.duration', { description: 'Append duration', unit: 's' });
    this.handlerDuration = meter.createHistogram('eventsourcing.handler.duration', { description: 'Time to handle one event', unit: 's' });
    this.handlerErrors = meter.createCounter('eventsourcing.handler.errors', { description: 'Failed deliveries of one event to a subscription' });
  }

  dispatched(commandName: string, seconds: number, error: unknown): void {
    const attributes = outcome({ [A.commandType]: commandName }, error);
    this.commands.add(1, attributes);
    this.commandDuration.record(seconds, attributes);
  }

  retried(commandName: string): void {
    this.retries.add(1, { [A.commandType]: commandName });
  }

  appended(aggregateType: string, seconds: number, error: unknown): void {
    const base = { [A.aggregateType]: aggregateType };
    if (isWrongExpectedVersion(error)) this.conflicts.add(1, base);
    this.appendDuration.record(seconds, outcome(base, error));
  }

  delivered(subscription: string, eventType: string, seconds: number, error: unknown): void {
    const base = { [A.subscription]: subscription, [A.eventType]: eventType };
    this.handlerDuration.record(seconds, outcome(base, error));
    if (error !== undefined) this.handlerErrors.add(1, { ...base, [A.errorType]: errorTypeOf(error) });
  }

  /** The observable gauges, read from `gauges` each time a metric reader collects. */
  observe(gauges: TelemetryGauges): void {
    this.meter
      .createObservableGauge('eventsourcing.aggregates.live', { description: 'Aggregate instances held in memory by this process' })
      .addCallback((result) => result.observe(gauges.liveAggregates()));
    this.meter
      .createObservableGauge('eventsourcing.subscription.lag', { description: "Events between the store's head and the checkpoint" })
      .addCallback(async (result) => {
        for (const { subscription, lag } of await gauges.subscriptionLag()) result.observe(lag, { [A.subscription]: subscription });
      });
    this.meter
      .createObservableGauge('eventsourcing.events.parked', { description: 'Events set aside, waiting for an operator' })
      .addCallback(async (result) => {
        for (const { subscription, count } of await gauges.parkedEvents()) result.observe(count, { [A.subscription]: subscription });
      });
  }
}
