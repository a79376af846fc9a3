import type { Attributes, Counter, Histogram, Meter, ObservableCallback, ObservableGauge } from '@opentelemetry/api';
import { isWrongExpectedVersion } from '../errors/wrong-expected-version.error.js';
import { errorTypeOf, TelemetryAttributes as A } from './telemetry-attributes.js';
import { CommandTally } from './command-tally.js';
import { KeyedCache } from './keyed-cache.js';
import type { TelemetryGauges } from './telemetry.interface.js';

const failed = (base: Attributes, error: unknown): Attributes => ({ ...base, [A.outcome]: 'error', [A.errorType]: errorTypeOf(error) });
const ok = { [A.outcome]: 'ok' };

/**
 * The library's metric instruments, on one meter. Durations are in seconds, as OpenTelemetry's
 * conventions ask. `identity` (the tenant, in a tenant's engine) is on every figure but the command
 * counts, which one tally per meter keeps for every engine of the process.
 */
export class TelemetryMetrics {
  private readonly commands: CommandTally;
  private readonly conflicts: Counter;
  private readonly retries: Counter;
  private readonly appendDuration: Histogram;
  private readonly handlerDuration: Histogram;
  private readonly handlerErrors: Counter;
  private readonly liveAggregates: ObservableGauge;
  private readonly subscriptionLag: ObservableGauge;
  private readonly parkedEvents: ObservableGauge;
  /** The attributes of successful steps, built once per key, so recording a success allocates nothing. */
  private readonly okAppends = new KeyedCache<Attributes>();
  private readonly okHandlers = new KeyedCache<KeyedCache<Attributes>>();

  constructor(
    meter: Meter,
    private readonly identity: Attributes = {},
  ) {
    this.commands = CommandTally.of(meter);
    this.conflicts = meter.createCounter('eventsourcing.append.conflicts', {
      description: 'Appends refused: the stream moved (wrong expected version)',
    });
    this.retries = meter.createCounter('eventsourcing.command.retries', { description: 'Commands run again after a conflicting append' });
    this.appendDuration = meter.createHistogram('eventsourcing.append.duration', { description: 'Append duration', unit: 's' });
    this.handlerDuration = meter.createHistogram('eventsourcing.handler.duration', { description: 'Time to handle one event', unit: 's' });
    this.handlerErrors = meter.createCounter('eventsourcing.handler.errors', { description: 'Failed deliveries of one event to a subscription' });
    this.liveAggregates = meter.createObservableGauge('eventsourcing.aggregates.live', {
      description: 'Aggregate instances held in memory by this process',
    });
    this.subscriptionLag = meter.createObservableGauge('eventsourcing.subscription.lag', {
      description: "Events between the store's head and the checkpoint",
    });
    this.parkedEvents = meter.createObservableGauge('eventsourcing.events.parked', { description: 'Events set aside, waiting for an operator' });
  }

  dispatched(commandName: string, error: unknown): void {
    this.commands.add(commandName, error);
  }

  retried(commandName: string): void {
    this.retries.add(1, { [A.commandType]: commandName, ...this.identity });
  }

  appended(aggregateType: string, seconds: number, error: unknown): void {
    if (error === undefined) return this.appendDuration.record(seconds, this.okAppends.get(aggregateType, this.okAppend));
    const base = this.appendBase(aggregateType);
    if (isWrongExpectedVersion(error)) this.conflicts.add(1, base);
    this.appendDuration.record(seconds, failed(base, error));
  }

  delivered(subscription: string, eventType: string, seconds: number, error: unknown): void {
    const base = () => ({ [A.subscription]: subscription, [A.eventType]: eventType, ...this.identity });
    if (error === undefined) {
      // Keyed by subscription, then type: a joined key would be a new string to hash per event.
      const ofSubscription = this.okHandlers.get(subscription, () => new KeyedCache<Attributes>());
      return this.handlerDuration.record(
        seconds,
        ofSubscription.get(eventType, () => ({ ...base(), ...ok })),
      );
    }
    this.handlerDuration.record(seconds, failed(base(), error));
    this.handlerErrors.add(1, { ...base(), [A.errorType]: errorTypeOf(error) });
  }

  private appendBase(aggregateType: string): Attributes {
    return { [A.aggregateType]: aggregateType, ...this.identity };
  }

  /** Built once per aggregate type, and passed as is: a closure made per append would cost more than the lookup. */
  private readonly okAppend = (aggregateType: string): Attributes => ({ ...this.appendBase(aggregateType), ...ok });

  /** The observable gauges, read from `gauges` each time a metric reader collects, until the returned function is called. */
  observe(gauges: TelemetryGauges): () => void {
    const live: ObservableCallback = (result) => result.observe(gauges.liveAggregates(), this.identity);
    const lag: ObservableCallback = async (result) => {
      for (const { subscription, lag } of await gauges.subscriptionLag()) result.observe(lag, { [A.subscription]: subscription, ...this.identity });
    };
    const parked: ObservableCallback = async (result) => {
      for (const { subscription, count } of await gauges.parkedEvents()) result.observe(count, { [A.subscription]: subscription, ...this.identity });
    };
    const callbacks: Array<[ObservableGauge, ObservableCallback]> = [
      [this.liveAggregates, live],
      [this.subscriptionLag, lag],
      [this.parkedEvents, parked],
    ];
    callbacks.forEach(([gauge, callback]) => gauge.addCallback(callback));
    return () => callbacks.forEach(([gauge, callback]) => gauge.removeCallback(callback));
  }
}
