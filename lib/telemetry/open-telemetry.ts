import type { Attributes, Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import type { NewEvent, RecordedEvent } from '../event-store/recorded-event.js';
import { errorTypeOf, INSTRUMENTATION_SCOPE, TelemetryAttributes as A } from './telemetry-attributes.js';
import { TelemetryMetrics } from './telemetry-metrics.js';
import type { Telemetry, TelemetryGauges, TracedCommand } from './telemetry.interface.js';
import { type OpenTelemetryApiModule, carrierOfSpan, contextOfCarrier } from './trace-context.js';
import { carrierOf, type TraceCarrier, writeCarrier } from './trace-carrier.js';
import { KeyedCache } from './keyed-cache.js';
import { commandNameOf } from '../util/command-name.js';

const commandAttributes = (command: TracedCommand): Attributes => ({
  [A.commandType]: command.commandName,
  [A.commandId]: command.commandId,
  [A.aggregateType]: command.aggregateType,
  [A.aggregateId]: command.aggregateId,
  [A.streamId]: command.streamId,
});

const secondsSince = (started: number): number => (performance.now() - started) / 1000;

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
  /** Span names per command or aggregate type: kept, not concatenated again on every command. */
  private readonly executeNames = new KeyedCache<string>();
  private readonly appendNames = new KeyedCache<string>();

  constructor(
    private readonly api: OpenTelemetryApiModule,
    private readonly inner: Telemetry,
    /** Who reports: the node, and in a tenant's engine the tenant, on every span (and the tenant on every metric). */
    private readonly nodeName: string,
    private readonly tenant?: string,
  ) {
    this.tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE);
    this.metrics = new TelemetryMetrics(api.metrics.getMeter(INSTRUMENTATION_SCOPE), tenant === undefined ? {} : { [A.tenant]: tenant });
  }

  dispatch<T>(command: object, run: () => Promise<T>): Promise<T> {
    const commandName = commandNameOf(command);
    const { name, options } = this.dispatches.get(commandName, this.dispatchSpan);
    return this.span(
      name,
      options,
      undefined,
      () => this.inner.dispatch(command, run),
      (error) => this.metrics.dispatched(commandName, error),
    );
  }

  forward<T>(command: TracedCommand, owner: string, run: (trace: TraceCarrier | undefined) => Promise<T>): Promise<T> {
    const attributes = this.identified(commandAttributes(command));
    attributes[A.targetNode] = owner;
    const options = { kind: this.api.SpanKind.CLIENT, attributes };
    return this.span(`forward ${command.commandName}`, options, undefined, (span) => run(this.carrierOf(span)));
  }

  receive<T>(command: TracedCommand, trace: TraceCarrier | undefined, run: () => Promise<T>): Promise<T> {
    const options = { kind: this.api.SpanKind.SERVER, attributes: this.identified(commandAttributes(command)) };
    return this.span(`receive ${command.commandName}`, options, this.contextOf(trace), run);
  }

  load<T>(aggregateType: string, streamId: string, run: () => Promise<T>): Promise<T> {
    const options = { attributes: this.identified({ [A.aggregateType]: aggregateType, [A.streamId]: streamId }) };
    return this.span(`load ${aggregateType}`, options, undefined, run);
  }

  execute<T>(command: TracedCommand, run: () => Promise<T>): Promise<T> {
    const options = { attributes: this.identified(commandAttributes(command)) };
    const name = this.executeNames.get(command.commandName, executeName);
    return this.span(name, options, undefined, () => this.inner.execute(command, run));
  }

  retried(command: TracedCommand, attempt: number): void {
    this.api.trace.getActiveSpan()?.addEvent('retry', { [A.attempt]: attempt });
    this.metrics.retried(command.commandName);
    this.inner.retried(command, attempt);
  }

  append<T>(command: TracedCommand, events: NewEvent[], run: () => Promise<T>): Promise<T> {
    const options = {
      kind: this.api.SpanKind.PRODUCER,
      attributes: this.identified({ [A.streamId]: command.streamId, [A.aggregateType]: command.aggregateType, [A.eventCount]: events.length }),
    };
    let started = 0;
    return this.span(
      this.appendNames.get(command.aggregateType, appendName),
      options,
      undefined,
      (span) => {
        started = performance.now();
        writeCarrier(events, this.carrierOf(span));
        return this.inner.append(command, events, run);
      },
      (error) => this.metrics.appended(command.aggregateType, secondsSince(started), error),
    );
  }

  deliver<T>(subscription: string, event: RecordedEvent, run: () => Promise<T>): Promise<T> {
    const options = {
      kind: this.api.SpanKind.CONSUMER,
      attributes: this.identified({
        [A.subscription]: subscription,
        [A.eventType]: event.eventType,
        [A.eventId]: event.eventId,
        [A.streamId]: event.streamId,
        [A.globalPosition]: event.globalPosition,
      }),
    };
    // An event without a stored context (written before telemetry, or by another writer) starts its own trace.
    const parent = this.contextOf(carrierOf(event.metadata)) ?? this.api.ROOT_CONTEXT;
    let started = 0;
    return this.span(
      `handle ${event.eventType}`,
      options,
      parent,
      () => {
        started = performance.now();
        return this.inner.deliver(subscription, event, run);
      },
      (error) => this.metrics.delivered(subscription, event.eventType, secondsSince(started), error),
    );
  }

  observe(gauges: TelemetryGauges): () => void {
    const stop = [this.metrics.observe(gauges), this.inner.observe(gauges)];
    return () => stop.forEach((unobserve) => unobserve());
  }

  /**
   * Runs `run` inside a new active span, ends it with the outcome, then reports the outcome to
   * `ended`. The API's no-op span (no SDK, no trace around the step) is not made active: it would
   * put a new context around every step for nothing, where the caller's has no trace either.
   */
  private span<T>(
    name: string,
    options: SpanOptions,
    parent: Context | undefined,
    run: (span: Span) => Promise<T>,
    ended?: (error: unknown) => void,
  ): Promise<T> {
    const context = parent ?? this.api.context.active();
    const span = this.tracer.startSpan(name, options, context);
    if (span.spanContext() !== this.api.INVALID_SPAN_CONTEXT) {
      return this.api.context.with(this.api.trace.setSpan(context, span), () => this.settled(span, run, ended));
    }
    // Ending the no-op span does nothing: with no outcome to report, the step just runs.
    return ended ? this.settled(span, run, ended) : run(span);
  }

  /** Runs `run`, then ends `span` with its outcome and reports it to `ended`. */
  private settled<T>(span: Span, run: (span: Span) => Promise<T>, ended?: (error: unknown) => void): Promise<T> {
    const end = (error?: unknown) => {
      if (error !== undefined) this.failed(span, error);
      span.end();
      ended?.(error);
    };
    let pending: Promise<T>;
    try {
      pending = run(span);
    } catch (error) {
      // `run` threw instead of rejecting: so does this step, as it would untraced.
      end(error);
      throw error;
    }
    // Callbacks rather than an async function: one promise less per span on the command path.
    return pending.then(
      (result) => {
        end();
        return result;
      },
      (error: unknown) => {
        end(error);
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

  /**
   * `attributes` with who reports added last. Assigned rather than spread into each literal: a
   * spread copies through V8's generic path, on every span.
   */
  private identified(attributes: Attributes): Attributes {
    attributes[A.node] = this.nodeName;
    if (this.tenant !== undefined) attributes[A.tenant] = this.tenant;
    return attributes;
  }

  /** Built once per command type (see {@link dispatches}). */
  private readonly dispatchSpan = (commandName: string) => ({
    name: `dispatch ${commandName}`,
    options: { attributes: this.identified({ [A.commandType]: commandName }) },
  });
}

const executeName = (commandName: string): string => `execute ${commandName}`;
const appendName = (aggregateType: string): string => `append ${aggregateType}`;
