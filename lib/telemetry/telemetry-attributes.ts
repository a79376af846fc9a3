/** Name under which the library's tracer and meter report. */
export const INSTRUMENTATION_SCOPE = 'nestjs-event-sourcing';

/** Attribute keys of the library's spans and metrics. */
export const TelemetryAttributes = {
  commandType: 'eventsourcing.command.type',
  commandId: 'eventsourcing.command.id',
  aggregateType: 'eventsourcing.aggregate.type',
  aggregateId: 'eventsourcing.aggregate.id',
  streamId: 'eventsourcing.stream.id',
  eventType: 'eventsourcing.event.type',
  eventId: 'eventsourcing.event.id',
  eventCount: 'eventsourcing.event.count',
  globalPosition: 'eventsourcing.event.global_position',
  subscription: 'eventsourcing.subscription.name',
  node: 'eventsourcing.node.name',
  targetNode: 'eventsourcing.node.target',
  tenant: 'eventsourcing.tenant',
  attempt: 'eventsourcing.attempt',
  outcome: 'eventsourcing.outcome',
  errorType: 'error.type',
} as const;

/** The `code` of the library's errors (and of domain errors), else the error's class name. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}
