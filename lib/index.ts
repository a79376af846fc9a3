/**
 * Event sourcing for NestJS: aggregates, commands, events, event handlers, projectors and
 * process managers over an event store, on one node or many.
 */
import 'reflect-metadata';

// Module
/** The module: `forRoot` once with the store and modes, `forFeature` per module with its aggregates and handlers. */
export { EventSourcingModule } from './event-sourcing.module.js';
/** What `EventSourcingModule.forFeature` registers: aggregates, event handlers, projectors, process managers. */
export type { EventSourcingFeatureOptions } from './feature-registration.js';
/** Options of `EventSourcingModule.forRoot`: the event store adapter (and its read replica), pub/sub, cluster and telemetry settings. */
export type {
  EmbeddedStoreOptions,
  EventSourcingModuleOptions,
  EventStoreOptions,
  EventStoreAdapterOptions,
  ClusterOptions,
  MemoryStoreOptions,
  PostgresReplicaOptions,
  PostgresStoreOptions,
  PubSubOptions,
  RedisPubSubOptions,
  SqlStoreOptions,
  TelemetryOptions,
} from './options.js';
/** This node's state at a glance (store, pub/sub, cluster, subscriptions), for a status endpoint. */
export { EventSourcingHealth, type EventSourcingStatus } from './event-sourcing.health.js';
/** Hands work over and drains it when the node stops; `app.close()` runs it, or call `begin` on a signal. */
export { EventSourcingShutdown } from './event-sourcing.shutdown.js';

// Telemetry
/** OpenTelemetry instrumentation scope name and the span/metric attribute names the library sets. */
export { INSTRUMENTATION_SCOPE, TelemetryAttributes } from './telemetry/telemetry-attributes.js';
/** `node:diagnostics_channel` channels the library publishes on, and their messages. */
export {
  type AppendMessage,
  type CommandMessage,
  type ExecuteMessage,
  type HandlerMessage,
  type RetryMessage,
  TelemetryChannels,
} from './telemetry/telemetry-channels.js';
/** What telemetry reads of a command on its way (for custom middleware spans). */
export type { TracedCommand } from './telemetry/telemetry.interface.js';
/** The W3C trace context carried in forwarded commands and stored in event metadata. */
export type { TraceCarrier } from './telemetry/trace-carrier.js';
/** `@nestjs/terminus` indicators: liveness and readiness of the store, pub/sub and subscriptions. */
export { EventSourcingHealthIndicator, type EventSourcingHealthResult, type LivenessDetails } from './event-sourcing.health-indicator.js';
/** What a health check reports per store and per subscription. */
export type { EventSourcingHealthDetails, StoreHealth, SubscriptionHealth } from './event-sourcing.health-report.js';
/** How a PostgreSQL store's read replica is doing (`StoreHealth.replica`, `EventStore.replicaStatus`). */
export type { ReplicaStatus } from './event-store/replica-status.js';
/** Options of the health indicator's checks: readiness, liveness and per-subscription thresholds. */
export type { HealthCheckOptions, LivenessOptions, SubscriptionHealthOptions } from './health-check.options.js';
/** This node's part in the cluster (address, members, discovery), for health checks. */
export type { ClusterStatus } from './cluster/cluster-status.js';
/** How a cluster node finds the others (a static list or the store's member table), and its addresses. */
export type { ClusterDiscovery, HostPort } from './cluster/cluster.settings.js';

// Operators
/** A read-only web inspector of streams, events and subscriptions, behind a guard of yours. */
export { EventSourcingInspectorModule } from './event-sourcing-inspector.module.js';
/** Options of the inspector: its path and the guard deciding who may see it. */
export type { EventSourcingInspectorOptions, InspectorGuardFunction } from './inspector/inspector.options.js';
/** Operator reads of the store (overview, events, subscription lag), used by the inspector and the CLI. */
export {
  type EventPage,
  type EventPageOptions,
  StoreDiagnostics,
  type StoreOverview,
  type SubscriptionLag,
} from './diagnostics/store-diagnostics.js';
/** A page of streams, listed by id with their version and last position. */
export type { ListStreamsOptions, StreamPage, StreamSummary } from './event-store/stream-summary.js';
/** A cluster member as the store records it, with the age of its last heartbeat. */
export type { MemberStatus } from './event-store/member-table.interface.js';

// Decorators
/** Marks a class as an aggregate and names the command field that identifies its instance. */
export { Aggregate, type AggregateOptions, type OnDeleted, type UnhandledEvents } from './decorators/aggregate.decorator.js';
/** Marks an aggregate method that applies one event type to its state. */
export { Apply } from './decorators/apply.decorator.js';
/** Marks a class as a domain event stored under a type name (and schema version). */
export { DomainEvent, type DomainEventOptions } from './decorators/domain-event.decorator.js';
export type { PersonalDataOptions } from './decorators/personal-data.options.js';

/** The tenants a module with the `tenants` option serves: add one at run time, list them, reach one's engine. */
export { Tenants } from './tenants.js';
/** One tenant's engine: its commands, reader, store, subscriptions and data subjects. */
export { TenantEngine } from './tenant-engine.js';
/** The `tenants` option, and the form of a tenant id. */
export { TENANT_ID, type TenantsOptions } from './tenants/tenants.options.js';
/** The stream of the module's own store that lists its tenants. */
export { TENANTS_STREAM } from './tenants/tenant-directory.js';

/** Forgets people: destroys a data subject's key so its personal fields read as their placeholder everywhere. */
export { DataSubjects, type ForgetOptions } from './data-subjects.js';

/** What `DataSubjects.forget` did: whether it destroyed a key, and where `SubjectForgotten` is. */
export type { ForgetResult } from './event-store/forget-subject.js';

/** Recorded once per forgotten subject: handle it in projectors to erase personal data they copied. */
export { SubjectForgotten } from './events/subject-forgotten.event.js';

/** What a forgotten personal field reads as by default, and the `$personal` metadata entry describing an event's personal fields. */
export { FORGOTTEN, PERSONAL_DATA_KEY, type PersonalFields } from './event-store/personal-fields.js';

/** The store's port for data subjects' keys (`EventStore.subjectKeys`). */
export type { SubjectKeys } from './event-store/subject-keys.interface.js';

/** Marks a class whose `@On` methods react to events after they are stored (at least once). */
export { EventHandler } from './decorators/event-handler.decorator.js';
/** Marks an aggregate method that handles one command type and returns the events it decides. */
export { Execute } from './decorators/execute.decorator.js';
/** Marks a handler, projector or process manager method that receives one event type. */
export { On } from './decorators/on.decorator.js';
/** Marks a projector method that receives events in batches, in one transaction. */
export { OnBatch } from './decorators/on-batch.decorator.js';
/** Marks a class that turns events into commands, keeping state per process instance (its `stateVersion` and `migrateState` version the stored state). */
export { ProcessManager, type ProcessManagerOptions } from './decorators/process-manager.decorator.js';
/** Process manager steps: the events that start, continue and stop an instance, and how to find its id. */
export { ContinuedBy, type ProcessIds, StartedBy, StoppedBy } from './decorators/process-step.decorator.js';
/** Marks a class that builds a read model from events, with its checkpoint kept by the store. */
export { Projector } from './decorators/projector.decorator.js';
/** Marks a projector method run before its subscription is reset, to clear its read model. */
export { BeforeReset } from './decorators/before-reset.decorator.js';
/** Keeps a handler (an `@On`/`@OnBatch` method, or a whole handler or projector class) from running again on events replayed after a reset. */
export { SkipReplay } from './decorators/skip-replay.decorator.js';
/** Per-subscription settings: retries, parking of failing events, partitioning, batching. */
export type { ErrorPolicy, HandlerSubscriptionOptions, ParkMode, PartitionContext, SubscriptionOptions } from './decorators/subscription-options.js';

// Aggregates
/** Loads an aggregate's state (and version), now or as it was at a version or time, without dispatching a command. */
export { AggregateReader } from './aggregates/aggregate-reader.js';
/** Options and result of `AggregateReader.load` and `loadStream`: the point in history to load at (`at`). */
export type { LoadAggregateOptions, LoadedAggregate, LoadStreamOptions } from './aggregates/load-aggregate.options.js';
/** A point in an aggregate's history, `{ version }` or `{ time }`, to load it as it was then. */
export type { AggregateAt } from './event-store/aggregate-at.js';

// Commands
/** Dispatches commands to their aggregates, on this node or the owning one. */
export { CommandGateway } from './commands/command-gateway.js';
/** Code run around every dispatch (validation, auth, logging), in order. */
export type { CommandMiddleware, CommandPipeline } from './commands/command-middleware.interface.js';
/** Per-dispatch options: what to return, consistency, timeout, command id, metadata and the version the caller expects. */
export type { DispatchOptions, Returning } from './commands/dispatch-options.js';
/** What executing a command produced: its events, versions and position. */
export type { ExecutionResult } from './aggregates/execution-result.js';

// Event store
/** Injection token and interface of the event store, to read events yourself or to pass your own store. */
export { EventStore } from './event-store/event-store.interface.js';
/** Direction, first version and count when reading one stream. */
export type { ReadStreamOptions } from './event-store/event-store.interface.js';
/** The SQL connection handed to inline projections, inside the append's transaction. */
export type { SqlExecutor } from './event-store/sql-executor.interface.js';
/** Expected versions of an append: an exact count of events, or any, no stream, or an existing one. */
export { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './event-store/expected-version.js';
/** Events as appended and as stored, an append's result, and a stored snapshot. */
export type { AppendResult, JsonObject, NewEvent, RecordedEvent, Snapshot } from './event-store/recorded-event.js';
/** A subscription's stored control state, and where a reset moves it. */
export type { ResetTarget, SubscriptionControlState } from './event-store/subscription-control.interface.js';
/** Events a subscription set aside after failing on them, and a selection of them to retry or drop. */
export type { ParkedEvent, ParkedSelection } from './event-store/parked-events.interface.js';
/** Lifts a stored event written with an older schema version to the current one. */
export type { EventUpcaster } from './events/event-upcaster.interface.js';
/** How aggregate and process-manager state is stored and revived (snapshots, returned state); a token of the same name to provide your own. */
export { StateCodec } from './events/state-codec.js';
/** The default state codec: JSON's shape, with Date, Map, Set, BigInt, undefined and the listed classes tagged. */
export { TaggedStateCodec } from './events/tagged-state-codec.js';
/** The tombstone a deleted stream ends with (`$StreamDeleted`): handle it with `@On(StreamDeleted)`. */
export { StreamDeleted } from './events/stream-deleted.event.js';
/** Options and outcome of `EventStore.deleteStream` and `truncateStream`, and the tombstone's stored type name. */
export { type DeleteStreamOptions, STREAM_DELETED_TYPE, type StreamRemoval, type TruncateStreamOptions } from './event-store/stream-removal.js';
/** Turns event instances into stored JSON and back (with upcasting). */
export { EventSerializer } from './events/event-serializer.js';
/** A stored event this code could not read, as health checks and subscription statuses report it. */
export type { UnreadableEvent } from './events/unreadable-events.js';
/** The in-memory event store, for tests and trying things out; nothing survives the process. */
export { InMemoryEventStore } from './event-store/memory/in-memory-event-store.js';
/** The PostgreSQL event store (`pg`), for production. */
export { PostgresEventStore } from './event-store/sql/pg/postgres-event-store.js';
/** The embedded event store on PGlite (`@electric-sql/pglite`), in a local data directory. */
export { EmbeddedEventStore } from './event-store/sql/pglite/embedded-event-store.js';
/** `eventStore.partitioning`: the events table as partitions of global-position ranges (postgres, embedded). */
export { DEFAULT_RANGE_SIZE, type PartitioningOptions } from './event-store/sql/partitioning.options.js';
/** What `closeBooks` archived (or would, on a dry run), and what `partitionEvents` planned or did. */
export type { ClosedBooks } from './event-store/sql/close-books.js';
export type { PartitionPlan } from './event-store/sql/partition-events.js';
/** Creates or upgrades the event store schema ahead of deployment (also `npx nestjs-event-sourcing migrate`). */
export { migrate, type MigrateOptions } from './migrate.js';

// Subscriptions
/** What a handler receives besides the event: ids, position, metadata, stream. */
export type { EventContext } from './subscriptions/event-context.js';
/** What a `@BeforeReset` method receives. */
export type { ResetContext } from './subscriptions/control/reset-context.js';
/** Options of `SubscriptionManager.reset`. */
export type { ResetOptions } from './subscriptions/control/control-requests.js';
/** How far a subscription is, e.g. during a rebuild. */
export type { SubscriptionProgress } from './subscriptions/subscription-progress.js';
/** Operator control of subscriptions: status, pause, resume, reset, restart, parked events. */
export { SubscriptionManager } from './subscriptions/subscription-manager.js';
/** What an `@OnBatch` method receives: the events with their contexts, and the batch's context. */
export type { BatchContext, BatchItem } from './subscriptions/batch-context.js';
/** What a handler's or projector's `onError` decides for a failing event: retry, skip, park or stop. */
export { ErrorDecision, type OnErrorHook } from './subscriptions/error-decision.js';
/** Default and upper bound of a subscription's `concurrency`. */
export { DEFAULT_PROCESS_MANAGER_CONCURRENCY, MAX_CONCURRENCY } from './subscriptions/engine-options.js';
/** A subscription's health, for logs and health checks. */
export type { SubscriptionFailure, SubscriptionState, SubscriptionStatus } from './subscriptions/subscription-status.js';
/** What a process manager step receives to dispatch, schedule and cancel commands, and when they fire. */
export type { ProcessContext, ScheduleTime } from './process-managers/process-context.js';
/** What a process manager's `onError` hook decides for a failing step. */
export { type OnProcessError, type ProcessErrorContext, ProcessErrorDecision } from './process-managers/process-error-decision.js';
/** State of the pub/sub between nodes, as health and status report it. */
export type { PubSubStatus } from './pubsub/pubsub.interface.js';

// Errors
/** Every error class of the library with its `isX` guard: one base `EventSourcingError` with a stable `code`, and a class per failure (see lib/errors/index.ts). */
export * from './errors/index.js';
