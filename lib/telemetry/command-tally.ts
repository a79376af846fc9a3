import type { Attributes, Meter } from '@opentelemetry/api';
import { errorTypeOf, TelemetryAttributes as A } from './telemetry-attributes.js';

interface Count {
  attributes: Attributes;
  value: number;
}

/**
 * The `eventsourcing.commands` counter, counted here and reported when a metric reader collects:
 * a synchronous counter's `add` sorts and serializes its attribute set on every command, about
 * half what a span costs. One tally per meter, as the SDK keeps one storage per instrument:
 * applications of one process that share the meter add to the same counts, none twice.
 */
export class CommandTally {
  private static readonly byMeter = new WeakMap<Meter, CommandTally>();
  private readonly counts = new Map<string, Count>();

  private constructor(meter: Meter) {
    meter
      .createObservableCounter('eventsourcing.commands', { description: 'Commands dispatched, by type and outcome' })
      .addCallback((result) => this.counts.forEach(({ value, attributes }) => result.observe(value, attributes)));
  }

  static of(meter: Meter): CommandTally {
    let tally = CommandTally.byMeter.get(meter);
    if (!tally) CommandTally.byMeter.set(meter, (tally = new CommandTally(meter)));
    return tally;
  }

  add(commandName: string, error: unknown): void {
    const errorType = error === undefined ? undefined : errorTypeOf(error);
    const key = errorType === undefined ? commandName : `${commandName}\n${errorType}`;
    const count = this.counts.get(key);
    if (count) count.value++;
    else this.counts.set(key, { attributes: attributesOf(commandName, errorType), value: 1 });
  }
}

const attributesOf = (commandName: string, errorType: string | undefined): Attributes =>
  errorType === undefined
    ? { [A.commandType]: commandName, [A.outcome]: 'ok' }
    : { [A.commandType]: commandName, [A.outcome]: 'error', [A.errorType]: errorType };
