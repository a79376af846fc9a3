/**
 * For authors of event store adapters: the EventStore contract and its conformance suite. An
 * application passes an instance to `EventSourcingModule.forRoot({ eventStore })`.
 */

// The contract
/** Injection token and interface of the event store every part of the library reads and writes through. */
export { EventStore } from './event-store/event-store.interface.js';
/** A reader of all events in global order that remembers its position; `EventStore.openAllReader`. */
export type { AllStreamReader } from './event-store/event-store.interface.js';
/** A listener of `EventStore.onAppended`: the newest position and, when known, the stored types appended. */
export type { AppendListener } from './event-store/event-store.interface.js';
/** What a filtered reader of all streams returns: some types, one stream, or a category. */
export type { AllStreamFilter } from './event-store/all-stream-filter.js';
/** Direction, first version and count of a `readStream`/`iterateStream`. */
export type { ReadStreamOptions } from './event-store/event-store.interface.js';
/** Where an append expects the stream to be: an exact count of events, or one of the markers. */
export { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './event-store/expected-version.js';
/** Events to append, events as stored, an append's result, a stored snapshot, and their JSON data. */
export type { AppendResult, JsonObject, NewEvent, RecordedEvent, Snapshot } from './event-store/recorded-event.js';
/** The command recorded with an append (idempotency), as given and as stored, and the append's options. */
export type { AppendOptions, CommandRecord, CommandToRecord } from './event-store/command-record.js';
/** SQL run inside the append's transaction (`AppendOptions.inTransaction`, `EventStore.sql`). */
export type { SqlExecutor } from './event-store/sql-executor.interface.js';

// Subscriptions
/** An exclusive, fenced claim on a subscription's checkpoint, and the state it was granted with. */
export type { LeaseGrant, SubscriptionLease } from './event-store/subscription-lease.interface.js';
/** A subscription's progress as stored (with what its last reset replays), and what one transaction writes of it. */
export type { ParkEntry, ProgressWrite, ReplayWindow, StoredProgress, TransactionWrite } from './event-store/progress-write.js';
/** The replay window a reset leaves, from the progress before it: how an adapter's `SubscriptionLease.reset` computes what it stores. */
export { replayAfterReset } from './event-store/progress-write.js';
/** Operator control of subscriptions kept by the store: pause, reset, restart. */
export type { ResetTarget, SubscriptionControl, SubscriptionControlState } from './event-store/subscription-control.interface.js';
/** Events a subscription set aside after failing on them. */
export type { ParkedEvent, ParkedEvents, ParkedSelection } from './event-store/parked-events.interface.js';

// Process managers, cluster and operators
/** Process manager state and scheduled commands, committed together. */
export type { ProcessStateChange, ScheduledCommand, ScheduledCommandStore } from './event-store/scheduled-commands.interface.js';
/** Cluster members recorded by the store (optional part of the contract). */
export type { MemberRecord, MemberStatus, MemberTable } from './event-store/member-table.interface.js';
/** How a store's read replica is doing (`EventStore.replicaStatus`). */
export type { ReplicaStatus } from './event-store/replica-status.js';
/** Paged listing of streams for operators (`EventStore.listStreams`). */
export type { ListStreamsOptions, StreamPage, StreamSummary } from './event-store/stream-summary.js';
/** Deleting and truncating streams: options, outcome, the tombstone's stored type name. */
export { type DeleteStreamOptions, STREAM_DELETED_TYPE, type StreamRemoval, type TruncateStreamOptions } from './event-store/stream-removal.js';

// Personal data
/** Keys of data subjects (`EventStore.subjectKeys`): one per person, destroyed to forget them. */
export type { SubjectKeys } from './event-store/subject-keys.interface.js';
/** Seals declared personal fields before a write and opens them on every read: call it from your adapter's appends and reads. */
export { PersonalDataVault } from './event-store/personal-data-vault.js';
/** The `$personal` metadata entry naming an event's personal fields and subject, and the default placeholder. */
export { FORGOTTEN, PERSONAL_DATA_KEY, type PersonalFields } from './event-store/personal-fields.js';

// Conformance suite
/** Runs the contract's tests against fresh stores from a factory: every adapter must pass them. */
export { describeEventStoreConformance } from './event-store/conformance/event-store-conformance.js';
/** Runs the tests of `AppendOptions.inTransaction` against fresh SQL stores and their schema names. */
export { describeAppendInTransactionConformance, type SqlStoreFactory } from './event-store/conformance/append-in-transaction-conformance.js';
/** The factory of fresh stores the suite calls before each test, and the payload limit it must set. */
export { CONFORMANCE_MAX_PAYLOAD_BYTES, type StoreFactory } from './event-store/conformance/conformance-events.js';
/** The test functions the suite runs on (Jest's globals unless given), and the assertions it needs. */
export type { ConformanceExpect, ConformanceMatchers, ConformanceRunner } from './event-store/conformance/conformance-runner.js';
