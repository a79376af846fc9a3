import type { Attributes, Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import type { NewEvent, RecordedEvent } from '../event-store/recorded-event.js';
import { errorTypeOf, INSTRUMENTATION_SCOPE, TelemetryAttributes as A } from './telemetry-attributes.js';
import { TelemetryMetrics } from './telemetry-metrics.js';
import type { Telemetry, TelemetryGauges, TracedCommand } from './telemetry.interface.js';
import { type OpenTelemetryApiModule, carrierOfSpan, contextOfCarrier } from './trace-context.js';
import { carrierOf, type TraceCarrier, writeCarrier } from './trace-carrier.js';
import { KeyedCache } from './keyed-cache.js';
import { commandNameOf } from '../util/command-name.js';

const commandAttributes = (command: TracedCommand, identity: Attributes): Attributes => ({
  [A.commandType]: command.commandName,
  [A.commandId]: command.commandId,
  [A.aggregateType]: command.aggregateType,
  [A.aggregateId]: command.aggregateId,
  [A.streamId]: command.streamId,
  ...identity,
});

/**
 * Spans and metrics through `@opentelemetry/api`, reporting to whatever SDK the application
 * registered (none: the API's no-op). Each step then goes on to `inner`, which publishes it on
 * the diagnostics channels.
 *
 * A handler's span is a child of the append that stored its event (its context is in the event's
 * metadata), not a new trace with a link: a command, the events it caused and the commands a process
 * manager sends in turn read as one tree, on whichever nodes they ran.
 */
export class OpenTelemetry implements Telemetry {
  private readonly tracer: Tracer;
  private readonly metrics: TelemetryMetrics;
  /** The dispatch span's name and options per command type (they depend on nothing else). */
  private readonly dispatches = new KeyedCache<{ name: string; options: SpanOptions }>();
  /** Who reports: the node, and in a tenant's engine the tenant, on every span (and the tenant on every metric). */
  private readonly identity: Attributes;

  constructor(
    private readonly api: OpenTelemetryApiModule,
    private readonly inner: Telemetry,
    nodeName: string,
    tenant?: string,
  ) {
    const tenantAttributes: Attributes = tenant === undefined ? {} : { [A.tenant]: tenant };
    this.identity = { [A.node]: nodeName, ...tenantAttributes };
    this.tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE);
    this.metrics = new TelemetryMetrics(api.metrics.getMeter(INSTRUMENTATION_SCOPE), tenantAttributes);
  }

  dispatch<T>(command: object, run: () => Promise<T>): Promise<T> {
    const commandName = commandNameOf(command);
    const { name, options } = this.dispatches.get(commandName, (type) => ({
      name: `dispatch ${type}`,
      options: { attributes: { [A.commandType]: type, ...this.identity } },
    }));
    return this.span(
      name,
      options,
      undefined,
      () => this.inner.dispatch(command, run),
      (_seconds, error) => this.metrics.dispatched(commandName, error),
    );
  }

  forward<T>(command: TracedCommand, owner: string, run: (trace: TraceCarrier | undefined) => Promise<T>): Promise<T> {
    const options = { kind: this.api.SpanKind.CLIENT, attributes: { ...commandAttributes(command, this.identity), [A.targetNode]: owner } };
    return this.span(`forward ${command.commandName}`, options, undefined, (span) => run(this.carrierOf(span)));
  }

  receive<T>(command: TracedCommand, trace: TraceCarrier | undefined, run: () => Promise<T>): Promise<T> {
    const options = { kind: this.api.SpanKind.SERVER, attributes: commandAttributes(command, this.identity) };
    return this.span(`receive ${command.commandName}`, options, this.contextOf(trace), run);
  }

  load<T>(aggregateType: string, streamId: string, run: () => Promise<T>): Promise<T> {
    const options = { attributes: { [A.aggregateType]: aggregateType, [A.streamId]: streamId, ...this.identity } };
    return this.span(`load ${aggregateType}`, options, undefined, run);
  }

  execute<T>(command: TracedCommand, run: () => Promise<T>): Promise<T> {
    const options = { attributes: commandAttributes(command, this.identity) };
    return this.span(`execute ${command.commandName}`, options, undefined, () => this.inner.execute(command, run));
  }

  retried(command: TracedCommand, attempt: number): void {
    this.api.trace.getActiveSpan()?.addEvent('retry', { [A.attempt]: attempt });
    this.metrics.retried(command.commandName);
    this.inner.retried(command, attempt);
  }

  append<T>(command: TracedCommand, events: NewEvent[], run: () => Promise<T>): Promise<T> {
    const options = {
      kind: this.api.SpanKind.PRODUCER,
      attributes: { [A.streamId]: command.streamId, [A.aggregateType]: command.aggregateType, [A.eventCount]: events.length, ...this.identity },
    };
    return this.span(
      `append ${command.aggregateType}`,
      options,
      undefined,
      (span) => {
        writeCarrier(events, this.carrierOf(span));
        return this.inner.append(command, events, run);
      },
      (seconds, error) => this.metrics.appended(command.aggregateType, seconds, error),
    );
  }

  deliver<T>(subscription: string, event: RecordedEvent, run: () => Promise<T>): Promise<T> {
    const options = {
      kind: this.api.SpanKind.CONSUMER,
      attributes: {
        [A.subscription]: subscription,
        [A.eventType]: event.eventType,
        [A.eventId]: event.eventId,
        [A.streamId]: event.streamId,
        [A.globalPosition]: event.globalPosition,
        ...this.identity,
      },
    };
    // An event without a stored context (written before telemetry, or by another writer) starts its own trace.
    const parent = this.contextOf(carrierOf(event.metadata)) ?? this.api.ROOT_CONTEXT;
    return this.span(
      `handle ${event.eventType}`,
      options,
      parent,
      () => this.inner.deliver(subscription, event, run),
      (seconds, error) => this.metrics.delivered(subscription, event.eventType, seconds, error),
    );
  }

  observe(gauges: TelemetryGauges): () => void {
    const stop = [this.metrics.observe(gauges), this.inner.observe(gauges)];
    return () => stop.forEach((unobserve) => unobserve());
  }

  /**
   * Runs `run` inside a new active span, ends it with the outcome, then reports the duration. The
   * API's no-op span (no SDK, no trace around the step) is not made active: it would put a new
   * context around every step for nothing, where the caller's has no trace either.
   */
  private span<T>(
    name: string,
    options: SpanOptions,
    parent: Context | undefined,
    run: (span: Span) => Promise<T>,
    measured?: (seconds: number, error: unknown) => void,
  ): Promise<T> {
    const context = parent ?? this.api.context.active();
    const span = this.tracer.startSpan(name, options, context);
    if (span.spanContext() !== this.api.INVALID_SPAN_CONTEXT) {
      return this.api.context.with(this.api.trace.setSpan(context, span), () => this.settled(span, run, measured));
    }
    // Ending the no-op span does nothing: with no duration to report, the step just runs.
    return measured ? this.settled(span, run, measured) : run(span);
  }

  /** Runs `run`, then ends `span` with its outcome and reports the duration. */
  private settled<T>(span: Span, run: (span: Span) => Promise<T>, measured?: (seconds: number, error: unknown) => void): Promise<T> {
    const started = measured ? performance.now() : 0;
    const ended = (error?: unknown) => {
      if (error !== undefined) this.failed(span, error);
      span.end();
      measured?.((performance.now() - started) / 1000, error);
    };
    let pending: Promise<T>;
    try {
      pending = run(span);
    } catch (error) {
      // `run` threw instead of rejecting: so does this step, as it would untraced.
      ended(error);
      throw error;
    }
    // Callbacks rather than an async function: one promise less per span on the command path.
    return pending.then(
      (result) => {
        ended();
        return result;
      },
      (error: unknown) => {
        ended(error);
        throw error;
      },
    );
  }

  private failed(span: Span, error: unknown): void {
    span.recordException(error instanceof Error ? error : String(error));
    span.setAttribute(A.errorType, errorTypeOf(error));
    span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }

  private carrierOf(span: Span): TraceCarrier | undefined {
    return carrierOfSpan(this.api, span.spanContext());
  }

  private contextOf(carrier: TraceCarrier | undefined): Context | undefined {
    return contextOfCarrier(this.api, carrier);
  }
}
