/**
 * Event sourcing for NestJS: aggregates, commands, events, event handlers, projectors and
 * process managers over an event store, on one node or many.
 */
import 'reflect-metadata';

// Module
export { EventSourcingModule } from './event-sourcing.module.js';
export type { EventSourcingFeatureOptions } from './feature-registration.js';
export type {
  EmbeddedStoreOptions,
  EventSourcingModuleOptions,
  EventStoreOptions,
  ClusterOptions,
  MemoryStoreOptions,
  PostgresStoreOptions,
  PubSubOptions,
  RedisPubSubOptions,
  SqlStoreOptions,
  TelemetryOptions,
} from './options.js';
export { EVENT_SOURCING_OPTIONS, type ResolvedOptions } from './resolve-options.js';
export { EventSourcingHealth, type EventSourcingStatus } from './event-sourcing.health.js';
export { EventSourcingShutdown } from './event-sourcing.shutdown.js';

// Telemetry
export { INSTRUMENTATION_SCOPE, TelemetryAttributes } from './telemetry/telemetry-attributes.js';
export {
  type AppendMessage,
  type CommandMessage,
  type ExecuteMessage,
  type HandlerMessage,
  type RetryMessage,
  TelemetryChannels,
} from './telemetry/telemetry-channels.js';
export type { TracedCommand } from './telemetry/telemetry.interface.js';
export type { TraceCarrier } from './telemetry/trace-carrier.js';
export { EventSourcingHealthIndicator, type EventSourcingHealthResult, type LivenessDetails } from './event-sourcing.health-indicator.js';
export type { EventSourcingHealthDetails, StoreHealth, SubscriptionHealth } from './event-sourcing.health-report.js';
export type { HealthCheckOptions, LivenessOptions, SubscriptionHealthOptions } from './health-check.options.js';
export type { ClusterStatus } from './cluster/cluster-status.js';
export type { ClusterDiscovery, HostPort } from './cluster/cluster.settings.js';

// Operators
export { EventSourcingInspectorModule } from './event-sourcing-inspector.module.js';
export type { EventSourcingInspectorOptions, InspectorGuardFunction } from './inspector/inspector.options.js';
export {
  type EventPage,
  type EventPageOptions,
  StoreDiagnostics,
  type StoreOverview,
  type SubscriptionLag,
} from './diagnostics/store-diagnostics.js';
export type { ListStreamsOptions, StreamPage, StreamSummary } from './event-store/stream-summary.js';
export type { MemberRecord, MemberStatus } from './event-store/member-table.interface.js';

// Decorators
export { Aggregate, type AggregateOptions, type UnhandledEvents } from './decorators/aggregate.decorator.js';
export { Apply } from './decorators/apply.decorator.js';
export { DomainEvent } from './decorators/domain-event.decorator.js';
export { EventHandler } from './decorators/event-handler.decorator.js';
export { Execute } from './decorators/execute.decorator.js';
export { On } from './decorators/on.decorator.js';
export { OnBatch } from './decorators/on-batch.decorator.js';
export { ProcessManager, type ProcessManagerOptions } from './decorators/process-manager.decorator.js';
export { ContinuedBy, type ProcessIds, StartedBy, StoppedBy } from './decorators/process-step.decorator.js';
export { Projector } from './decorators/projector.decorator.js';
export { BeforeReset } from './decorators/before-reset.decorator.js';
export type { ErrorPolicy, HandlerSubscriptionOptions, ParkMode, PartitionContext, SubscriptionOptions } from './decorators/subscription-options.js';

// Aggregates
export { AggregateReader } from './aggregates/aggregate-reader.js';

// Commands
export { CommandGateway } from './commands/command-gateway.js';
export type { CommandMiddleware, CommandPipeline } from './commands/command-middleware.interface.js';
export type { DispatchOptions, Returning } from './commands/dispatch-options.js';
export type { ExecutionResult } from './aggregates/execution-result.js';

// Event store
export { EventStore } from './event-store/event-store.interface.js';
export type { AllStreamReader, ReadStreamOptions } from './event-store/event-store.interface.js';
export type { SqlExecutor } from './event-store/sql-executor.interface.js';
export { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './event-store/expected-version.js';
export type { AppendResult, JsonObject, NewEvent, RecordedEvent, Snapshot } from './event-store/recorded-event.js';
export type { AppendOptions, CommandRecord, CommandToRecord } from './event-store/command-record.js';
export type { LeaseGrant, SubscriptionLease } from './event-store/subscription-lease.interface.js';
export type { ResetTarget, SubscriptionControl, SubscriptionControlState } from './event-store/subscription-control.interface.js';
export type { ParkedEvent, ParkedEvents, ParkedSelection } from './event-store/parked-events.interface.js';
export type { ParkEntry, ProgressWrite, StoredProgress, TransactionWrite } from './event-store/progress-write.js';
export type { EventUpcaster } from './events/event-upcaster.interface.js';
export { StateCodec } from './events/state-codec.js';
export { TaggedStateCodec } from './events/tagged-state-codec.js';
export { EventSerializer } from './events/event-serializer.js';
/** A stored event this code could not read, as health checks and subscription statuses report it. */
export type { UnreadableEvent } from './events/unreadable-events.js';
export { InMemoryEventStore } from './event-store/memory/in-memory-event-store.js';
export { PostgresEventStore } from './event-store/sql/pg/postgres-event-store.js';
export { EmbeddedEventStore } from './event-store/sql/pglite/embedded-event-store.js';
export { migrate, type MigrateOptions } from './migrate.js';

// Subscriptions
export type { EventContext } from './subscriptions/event-context.js';
export type { ResetContext } from './subscriptions/control/reset-context.js';
export type { ResetOptions } from './subscriptions/control/control-requests.js';
export { PROGRESS_WINDOW_MS, type SubscriptionProgress } from './subscriptions/subscription-progress.js';
export { SubscriptionManager } from './subscriptions/subscription-manager.js';
export type { BatchContext, BatchItem } from './subscriptions/batch-context.js';
export { ErrorDecision, type OnErrorHook } from './subscriptions/error-decision.js';
export { DEFAULT_PROCESS_MANAGER_CONCURRENCY, MAX_CONCURRENCY } from './subscriptions/engine-options.js';
export type { SubscriptionFailure, SubscriptionState, SubscriptionStatus } from './subscriptions/subscription-status.js';
export { CommandDispatcher, type CommandDispatchOptions } from './process-managers/command-dispatcher.interface.js';
export type { ProcessContext, ScheduleTime } from './process-managers/process-context.js';
export { type OnProcessError, type ProcessErrorContext, ProcessErrorDecision } from './process-managers/process-error-decision.js';
export type { ProcessStateChange, ScheduledCommand, ScheduledCommandStore } from './event-store/scheduled-commands.interface.js';
export { CommandClassResolver } from './process-managers/command-class-resolver.interface.js';

// Pub/sub and registry ports
export { PubSub, PubSubChannels, type PubSubHandler, type PubSubStatus } from './pubsub/pubsub.interface.js';
export { Registry } from './registry/registry.interface.js';

// Errors: one list in lib/errors/index.ts
export * from './errors/index.js';

// Testing
export { AggregateScenario, ScenarioOutcome } from './testing/aggregate-scenario.js';
export { type EventMatcher, waitForEvent, type WaitForEventOptions } from './testing/wait-for-event.js';
export { waitForHandler, type WaitForHandlerOptions } from './testing/wait-for-handler.js';
export { ProjectorScenario, type ProjectorScenarioOptions } from './testing/projector-scenario.js';
export {
  type DispatchedCommand,
  type PendingCommand,
  ProcessManagerScenario,
  type ProcessManagerScenarioOptions,
} from './testing/process-manager-scenario.js';
export type { GivenEnvelope } from './testing/scenario-history.js';
