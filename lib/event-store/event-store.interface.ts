import type { AllStreamFilter } from './all-stream-filter.js';
import type { AppendOptions, CommandRecord } from './command-record.js';
import type { ExpectedVersion } from './expected-version.js';
import type { MemberTable } from './member-table.interface.js';
import type { ScheduledCommandStore } from './scheduled-commands.interface.js';
import type { ParkedEvents } from './parked-events.interface.js';
import type { ReplicaStatus } from './replica-status.js';
import type { AppendResult, NewEvent, RecordedEvent, Snapshot } from './recorded-event.js';
import type { SqlExecutor } from './sql-executor.interface.js';
import type { SubscriptionControl } from './subscription-control.interface.js';
import type { SubscriptionPartitions } from './subscription-partitions.interface.js';
import type { ListStreamsOptions, StreamPage } from './stream-summary.js';
import type { DeleteStreamOptions, StreamRemoval, TruncateStreamOptions } from './stream-removal.js';
import type { SubscriptionLease } from './subscription-lease.interface.js';
import type { SubjectKeys } from './subject-keys.interface.js';

/** Options for reading one stream. */
export interface ReadStreamOptions {
  /** First version to return (forward), or last (backward). @default 1 forward, the end backward */
  fromVersion?: number;
  /** @default 'forward' */
  direction?: 'forward' | 'backward';
  /** @default unlimited */
  maxCount?: number;
  /**
   * Let the store's read replica answer, when it has one (PostgreSQL `replica`): the events may
   * trail the primary by the replica's lag. For operator views; never for loading aggregates.
   * @default false
   */
  fromReplica?: boolean;
}

/**
 * Hears of appends: the newest position, and the stored type names appended since the last call
 * when the adapter knows them (absent: unknown, so any reader may have something to read).
 */
export type AppendListener = (globalPosition: number, eventTypes?: readonly string[]) => void;

/**
 * Reads all events in global order from a position. It never returns an event after one that
 * may still appear (a transaction in flight with a lower position), so a reader that walks it
 * never skips anything. Keep one reader per subscription: it remembers what it waits on.
 */
export interface AllStreamReader {
  /**
   * How far the reader has looked: the last position returned, or the start position; a filtered
   * reader also moves it over the events its filter passed over.
   */
  readonly position: number;
  /** False when the last `next` stopped with more safe to read at once; true when it read all there was. */
  readonly atHead: boolean;
  /**
   * Next events in order after `position`, at most `maxCount`; empty when nothing more is safe to
   * read yet (or, filtered, when the events looked at passed none: `atHead` then says whether to read on).
   */
  next(maxCount: number): Promise<RecordedEvent[]>;
}

/**
 * The event store: the product's source of truth. Memory, PostgreSQL and embedded adapters implement it.
 * Every adapter refuses an id it cannot hold (stream id, command id, subscription name: empty, over
 * 500 characters, with a NUL or a lone surrogate) with `InvalidIdentifierError`, reads included.
 */
export interface EventStore {
  /** Creates tables if the adapter runs migrations at start; opens connections. */
  init(): Promise<void>;
  close(): Promise<void>;

  /**
   * Appends atomically with an expected-version check; throws `WrongExpectedVersionError` on
   * mismatch. With `options.command` the command is recorded in the same transaction; an id
   * already recorded fails the whole append with `DuplicateCommandError`.
   */
  appendToStream(streamId: string, expected: ExpectedVersion, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** The recorded command with this id, if an append recorded it and it was not pruned. */
  readCommand(commandId: string): Promise<CommandRecord | undefined>;
  /** Forgets commands recorded before `before`; returns how many. Safe to run from several processes. */
  pruneCommands(before: Date): Promise<number>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Pages through a stream in bounded memory. */
  iterateStream(streamId: string, options?: ReadStreamOptions & { pageSize?: number }): AsyncIterable<RecordedEvent>;
  /** Current version of a stream (0 when it has no events). */
  streamVersion(streamId: string): Promise<number>;
  /**
   * For loading a stream as it was at `time`: the highest version among its stored events recorded
   * at or before `time`, to the millisecond (their `createdAt`, on the store's clock), 0 when none
   * was. Refuses an invalid `time` with `InvalidOptionsError`.
   */
  streamVersionAt(streamId: string, time: Date): Promise<number>;

  /**
   * Deletes a stream: appends the `$StreamDeleted` tombstone (once), which keeps its version
   * reserved and reaches subscriptions as an event; `hard` also removes every event before it and
   * the snapshot. A stream with no events fails with `WrongExpectedVersionError`.
   */
  deleteStream(streamId: string, options?: DeleteStreamOptions): Promise<StreamRemoval>;
  /**
   * Removes a stream's events before version `before`, keeping its last event; refused with
   * `InvalidOptionsError` unless its snapshot covers version `before - 1` (or it was deleted).
   * Removed positions stay holes that every all-events reader passes over.
   */
  truncateStream(streamId: string, before: number, options?: TruncateStreamOptions): Promise<StreamRemoval>;

  /**
   * A reader of all events after `afterPosition` (0 = from the start); with a `filter`, of those
   * it passes only, picked by the store. Throws `InvalidOptionsError` for a malformed filter.
   */
  openAllReader(afterPosition: number, filter?: AllStreamFilter): AllStreamReader;
  /** Pages through all events after `afterPosition` up to the current safe head. */
  iterateAll(afterPosition: number, options?: { pageSize?: number }): AsyncIterable<RecordedEvent>;
  /** Highest global position written so far (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * The position of the last event recorded before `time` (0 when none; the head when all were):
   * a subscription that starts or is reset there gets every event recorded at or after `time`.
   */
  positionBefore(time: Date): Promise<number>;
  /**
   * Calls `listener` soon after events are appended, by any process where the adapter can tell.
   * Only a wake-up: it can be lost, so readers also poll. Returns an unsubscribe function.
   */
  onAppended(listener: AppendListener): () => void;

  readSnapshot(streamId: string): Promise<Snapshot | undefined>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  deleteSnapshot(streamId: string): Promise<void>;

  /**
   * Tries to become the only runner of subscription `name` across all processes sharing the
   * store. Resolves `undefined` at once when another process holds it. `owner` (a node name) is
   * recorded for operators.
   */
  acquireSubscription(name: string, owner?: string): Promise<SubscriptionLease | undefined>;
  /** Last acknowledged position of a subscription (0 when none), readable by anyone. */
  readCheckpoint(name: string): Promise<number>;

  /** Operator requests on subscriptions (reset, restart, pause) and their stored state, from any process. */
  readonly control: SubscriptionControl;
  /**
   * For operators: a page of streams in stream id order, optionally those starting with a prefix.
   * Read from the store's replica when it has one (stale by its lag). Bad options fail with
   * `InvalidOptionsError`.
   */
  listStreams(options: ListStreamsOptions): Promise<StreamPage>;
  /**
   * Schema version applied to the database and the latest this release knows, on stores that
   * migrate (SQL); absent on the memory adapter. `applied < latest` means migrations are pending.
   */
  schemaVersion?(): Promise<{ applied: number; latest: number }>;

  /** How the store's read replica is doing; undefined (or absent) when it has none. */
  replicaStatus?(): Promise<ReplicaStatus | undefined>;

  /** SQL access to the store's database for read models; absent on the memory adapter. */
  readonly sql?: SqlExecutor;

  /** Events subscriptions parked (dead letters): list, retry, discard from any process. */
  readonly parkedEvents: ParkedEvents;

  /** The partitions of subscriptions spread over nodes; absent on the memory adapter, which cannot spread them. */
  readonly subscriptionPartitions?: SubscriptionPartitions;

  /** Where cluster nodes sharing this store find each other (cluster mode, `discovery: 'store'`). */
  readonly members?: MemberTable;

  /**
   * Every global position below this one was archived by closing the books (0 when never); readers
   * of all events start there. Absent on stores that cannot close their books (memory).
   */
  booksClosedBefore?(): Promise<number>;

  /** Scheduled commands of process managers, saved with their state; every built-in adapter has them. */
  readonly scheduledCommands?: ScheduledCommandStore;

  /**
   * Keys of the data subjects whose personal fields the store keeps encrypted; every built-in
   * adapter has them. A store without them refuses events that carry personal data.
   */
  readonly subjectKeys?: SubjectKeys;
}

/** Injection token of the {@link EventStore} port. */
export const EventStore = Symbol('EventStore');

/** True when `value` is a ready store instance rather than adapter settings. */
export const isEventStoreInstance = (value: unknown): value is EventStore =>
  typeof value === 'object' && value !== null && typeof (value as EventStore).appendToStream === 'function';
