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
export type { MemberStatus } from './event-store/member-table.interface.js';

// Decorators
export { Aggregate, type AggregateOptions } from './decorators/aggregate.decorator.js';
export { Apply } from './decorators/apply.decorator.js';
export { DomainEvent } from './decorators/domain-event.decorator.js';
export { EventHandler } from './decorators/event-handler.decorator.js';
export { Execute } from './decorators/execute.decorator.js';
export { On } from './decorators/on.decorator.js';
export { OnBatch } from './decorators/on-batch.decorator.js';
export { ProcessManager } from './decorators/process-manager.decorator.js';
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
export type { ReadStreamOptions } from './event-store/event-store.interface.js';
export type { SqlExecutor } from './event-store/sql-executor.interface.js';
export { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './event-store/expected-version.js';
export type { AppendResult, JsonObject, NewEvent, RecordedEvent, Snapshot } from './event-store/recorded-event.js';
export type { ResetTarget, SubscriptionControlState } from './event-store/subscription-control.interface.js';
export type { ParkedEvent, ParkedSelection } from './event-store/parked-events.interface.js';
export type { EventUpcaster } from './events/event-upcaster.interface.js';
export { EventSerializer } from './events/event-serializer.js';
export { InMemoryEventStore } from './event-store/memory/in-memory-event-store.js';
export { PostgresEventStore } from './event-store/sql/pg/postgres-event-store.js';
export { EmbeddedEventStore } from './event-store/sql/pglite/embedded-event-store.js';
export { migrate, type MigrateOptions } from './migrate.js';

// Subscriptions
export type { EventContext } from './subscriptions/event-context.js';
export type { ResetContext } from './subscriptions/control/reset-context.js';
export type { ResetOptions } from './subscriptions/control/control-requests.js';
export type { SubscriptionProgress } from './subscriptions/subscription-progress.js';
export { SubscriptionManager } from './subscriptions/subscription-manager.js';
export type { BatchContext, BatchItem } from './subscriptions/batch-context.js';
export { ErrorDecision, type OnErrorHook } from './subscriptions/error-decision.js';
export { DEFAULT_PROCESS_MANAGER_CONCURRENCY, MAX_CONCURRENCY } from './subscriptions/engine-options.js';
export type { SubscriptionFailure, SubscriptionState, SubscriptionStatus } from './subscriptions/subscription-status.js';
export type { ProcessContext, ScheduleTime } from './process-managers/process-context.js';
export { type OnProcessError, type ProcessErrorContext, ProcessErrorDecision } from './process-managers/process-error-decision.js';
export type { PubSubStatus } from './pubsub/pubsub.interface.js';

// Errors
export { EventSourcingError, isEventSourcingError } from './errors/event-sourcing.error.js';
export { AggregateNotFoundError, isAggregateNotFound } from './errors/aggregate-not-found.error.js';
export { CommandRouteNotFoundError, isCommandRouteNotFound } from './errors/command-route-not-found.error.js';
export { CommandTimeoutError, isCommandTimeout } from './errors/command-timeout.error.js';
export { ConfigurationError, isConfigurationError } from './errors/configuration.error.js';
export { ConsistencyTimeoutError, isConsistencyTimeout } from './errors/consistency-timeout.error.js';
export { DomainError, isDomainError } from './errors/domain.error.js';
export { DuplicateCommandError, isDuplicateCommand } from './errors/duplicate-command.error.js';
export { DuplicateEventError, isDuplicateEvent } from './errors/duplicate-event.error.js';
export { InlineProjectionFailedError, isInlineProjectionFailed } from './errors/inline-projection-failed.error.js';
export { InvalidCommandError, isInvalidCommand } from './errors/invalid-command.error.js';
export { InvalidControlRequestError, isInvalidControlRequest } from './errors/invalid-control-request.error.js';
export { InvalidEventError, isInvalidEvent } from './errors/invalid-event.error.js';
export { InvalidIdentifierError, isInvalidIdentifier } from './errors/invalid-identifier.error.js';
export { InvalidOptionsError, isInvalidOptions } from './errors/invalid-options.error.js';
export { isMissingAggregateIdentity, MissingAggregateIdentityError } from './errors/missing-aggregate-identity.error.js';
export { isMissingDependency, MissingDependencyError } from './errors/missing-dependency.error.js';
export { isNodeUnavailable, NodeUnavailableError } from './errors/node-unavailable.error.js';
export { isPayloadTooLarge, PayloadTooLargeError } from './errors/payload-too-large.error.js';
export { isShuttingDown, ShuttingDownError } from './errors/shutting-down.error.js';
export { isStoreUnavailable, StoreUnavailableError } from './errors/store-unavailable.error.js';
export { isSubscriptionLost, SubscriptionLostError } from './errors/subscription-lost.error.js';
export { isUnknownEventType, UnknownEventTypeError } from './errors/unknown-event-type.error.js';
export { isUnknownSubscription, UnknownSubscriptionError } from './errors/unknown-subscription.error.js';
export { isWrongExpectedVersion, WrongExpectedVersionError } from './errors/wrong-expected-version.error.js';
export { isWaitTimeout, WaitTimeoutError } from './errors/wait-timeout.error.js';
export { InvalidScheduleError, isInvalidSchedule } from './errors/invalid-schedule.error.js';
