import { randomUUID } from 'node:crypto';
import { distinctEventTypes } from '../distinct-event-types.js';
import { ConfigurationError } from '../../errors/configuration.error.js';
import type { SqlStoreOptions } from './sql-store.options.js';
import { assertAppendInput, assertAppendShape } from '../append-input.js';
import { checkExpectedVersion } from '../check-expected-version.js';
import type { AppendOptions, CommandRecord } from '../command-record.js';
import type { AllStreamReader, AppendListener, EventStore, ReadStreamOptions } from '../event-store.interface.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import { type ExpectedVersion, MAX_STREAM_VERSION } from '../expected-version.js';
import { iterateReader, iterateStreamPages } from '../iterate-pages.js';
import { appliedVersion, LATEST_MIGRATION, runMigrations } from './run-migrations.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../payload-size.js';
import type { MemberTable } from '../member-table.interface.js';
import type { AppendResult, NewEvent, RecordedEvent, Snapshot } from '../recorded-event.js';
import { assertSnapshotInput } from '../snapshot-input.js';
import { assertIdentifier } from '../store-strings.js';
import { assertTime } from '../aggregate-at.js';
import { SqlAllStreamReader } from './sql-all-stream-reader.js';
import { MAX_WINDOW, SqlFilteredReader } from './sql-filtered-reader.js';
import { SqlReplicaReader } from './sql-replica-reader.js';
import type { SqlReplica } from './sql-replica.js';
import { SettledHead } from './settled-head.js';
import { SettledRanges } from './settled-ranges.js';
import type { ReplicaStatus } from '../replica-status.js';
import { type AllStreamFilter, assertFilter, filtersNothing } from '../all-stream-filter.js';
import { SqlMemberTable } from './sql-member-table.js';
import { SqlSubscriptionPartitions } from './sql-subscription-partitions.js';
import { SqlScheduledCommands } from './sql-scheduled-commands.js';
import { deleteSnapshot, readSnapshots, upsertSnapshot } from './sql-snapshots.js';
import { Batcher, byKeys } from '../../util/batcher.js';
import type { ScheduledCommandStore } from '../scheduled-commands.interface.js';
import { SqlParkedEvents } from './sql-parked-events.js';
import type { ParkedEvents } from '../parked-events.interface.js';
import { APPEND_FLIGHTS, appendGroup, type GroupedAppend, type GroupedOutcome, MAX_GROUP } from './sql-append-group.js';
import { appendInTransaction } from './sql-append-in-transaction.js';
import { SqlSubscriptionControl } from './sql-subscription-control.js';
import { pruneCommands, readCommands } from './sql-commands.js';
import { AppendNotifier, parseAppendNotice } from './append-notifier.js';
import type { SqlDriver } from './sql-driver.interface.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './sql-event-rows.js';
import { type SqlSchema, sqlSchema } from './sql-schema.js';
import { readCheckpoint } from './sql-subscription-lease.js';
import { createLeases, type SqlLeaseMode, type SqlLeases } from './sql-lease-mode.js';
import { listStreams } from './sql-operator-reads.js';
import { sqlRemoveEventsBefore } from './sql-event-removal.js';
import { deleteStream, type RemoveEventsBefore, truncateStream } from '../remove-stream-events.js';
import { type DeleteStreamOptions, type StreamRemoval, type TruncateStreamOptions } from '../stream-removal.js';
import { missingSchemaError } from './missing-schema.js';
import { assertListStreamsOptions, type ListStreamsOptions, type StreamPage } from '../stream-summary.js';
import type { SubscriptionLease } from '../subscription-lease.interface.js';
import { PersonalDataVault } from '../personal-data-vault.js';
import { SqlSubjectKeys } from './sql-subject-keys.js';
import { InvalidOptionsError } from '../../errors/invalid-options.error.js';
import { PartitionKeeper } from './partition-keeper.js';
import { DEFAULT_RANGE_SIZE, partitioningProblems } from './partitioning.options.js';
import { partitionEvents, type PartitionPlan } from './partition-events.js';
import { latestVersion } from './sql-append-functions.js';
import { booksClosedBefore, type ClosedBooks, closeBooks } from './close-books.js';

/** The store as a SQL event store; a typed error naming the adapters that have partitions otherwise. */
export function asSqlEventStore(store: EventStore): SqlEventStore {
  if (store instanceof SqlEventStore) return store;
  throw new ConfigurationError('Partitioning and closing the books need the postgres or embedded adapter: this store keeps no events table');
}

/** The result of one grouped append, or its own refusal thrown. */
function settled(outcome: GroupedOutcome): AppendResult {
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

/** The event store on PostgreSQL SQL, shared by the `pg` and PGlite adapters through a {@link SqlDriver}. */
export class SqlEventStore implements EventStore {
  /** SQL on the store's database, for read models. */
  readonly sql: SqlExecutor;
  readonly members: MemberTable;
  readonly subscriptionPartitions: SqlSubscriptionPartitions;
  readonly scheduledCommands: ScheduledCommandStore;
  readonly control: SqlSubscriptionControl;
  readonly parkedEvents: ParkedEvents;
  readonly subjectKeys: SqlSubjectKeys;
  /** Seals personal fields before a write and opens them on every read. */
  private readonly vault: PersonalDataVault;
  private readonly schema: SqlSchema;
  /** Where operator views read: the replica while it answers, else the primary. */
  private readonly operatorSql: SqlExecutor;
  private readonly maxPayloadBytes: number;
  private readonly leases: SqlLeases;
  private readonly appendListeners = new Set<AppendListener>();
  private readonly notifier: AppendNotifier;
  private readonly removeBefore: RemoveEventsBefore;
  /** Names this store in its notifications: it tells its own listeners directly, not by echo. */
  private readonly sender = randomUUID();
  private stopListening?: () => Promise<void>;
  /**
   * Point reads made at the same time (instances loading, process managers' commands checked for
   * repeats) share one statement: under many concurrent callers the round trips, not the rows,
   * are what costs.
   */
  private readonly snapshotReads = new Batcher((ids: string[]) =>
    readSnapshots(this.driver, this.schema, ids).then((rows) => byKeys(ids, rows, (row) => row.streamId)),
  );
  private readonly commandReads = new Batcher((ids: string[]) =>
    readCommands(this.driver, this.schema, ids).then((rows) => byKeys(ids, rows, (row) => row.commandId)),
  );
  /**
   * Appends to different streams made at the same time commit together (group commit): one
   * statement, one transaction and one flush to disk for the group, each append still checked,
   * recorded and refused on its own. Alone, an append goes at once.
   */
  private readonly appends = new Batcher(
    (appends: GroupedAppend[]) =>
      this.partitions.retryingGroup(
        appends,
        (append) => append.batch.events.length,
        (group) => appendGroup(this.driver, this.schema, group),
      ),
    { maxBatch: MAX_GROUP, flights: APPEND_FLIGHTS },
  );
  /** Keeps partitions ahead of the appends when the events table is partitioned. */
  private readonly partitions: PartitionKeeper;

  constructor(
    private readonly driver: SqlDriver,
    private readonly options: SqlStoreOptions = {},
    leaseMode: SqlLeaseMode = { kind: 'lock' },
    /** A read replica for catch-up readers and operator views. */
    private readonly replica?: SqlReplica,
  ) {
    this.schema = sqlSchema(options.schema);
    const problems = partitioningProblems(options.partitioning);
    if (problems.length) throw new InvalidOptionsError(problems);
    this.partitions = new PartitionKeeper(driver, this.schema, options.partitioning && (options.partitioning.rangeSize ?? DEFAULT_RANGE_SIZE));
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.leases = createLeases(driver, this.schema, leaseMode);
    this.sql = { query: (text, params) => driver.query(text, params) };
    this.operatorSql = replica ? { query: (text, params) => replica.query(driver, text, params) } : this.sql;
    this.members = new SqlMemberTable(this.sql, this.schema);
    this.subscriptionPartitions = new SqlSubscriptionPartitions(driver, this.schema);
    this.scheduledCommands = new SqlScheduledCommands(driver, this.schema, this.maxPayloadBytes);
    this.control = new SqlSubscriptionControl(this.sql, this.schema, this);
    this.parkedEvents = new SqlParkedEvents(this.sql, this.schema);
    this.subjectKeys = new SqlSubjectKeys(this.sql, this.schema);
    this.vault = new PersonalDataVault(this.subjectKeys);
    this.notifier = new AppendNotifier(this.sql, this.schema.channel, this.sender);
    this.removeBefore = sqlRemoveEventsBefore(driver, this.schema);
  }

  async init(): Promise<void> {
    await this.driver.open();
    if (this.options.autoMigrate ?? true) await runMigrations(this.driver, this.schema);
    else if ((await this.schemaVersion()).applied < LATEST_MIGRATION) {
      const missing = await missingSchemaError(this.driver, this.schema);
      if (missing) throw missing;
      throw new ConfigurationError(
        `Event store schema '${this.schema.name}' is not migrated to version ${LATEST_MIGRATION}: run \`nestjs-event-sourcing migrate --schema ${this.schema.name}\` or set autoMigrate`,
      );
    }
    await this.partitions.open();
  }

  async schemaVersion(): Promise<{ applied: number; latest: number }> {
    return { applied: await appliedVersion(this.driver, this.schema), latest: LATEST_MIGRATION };
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = undefined;
    await this.leases.close();
    await this.partitions.close();
    await this.replica?.close();
    await this.driver.close();
  }

  async appendToStream(streamId: string, expected: ExpectedVersion, written: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    if (!PersonalDataVault.carriesPersonalData(written)) return this.append(streamId, expected, written, options);
    assertAppendShape(streamId, expected, written, options);
    const events = await this.vault.seal(written);
    const inTransaction = options?.inTransaction;
    // Inline projectors, like every reader, get the data as written, not as sealed.
    const unsealing = inTransaction && {
      ...options,
      inTransaction: (sql: SqlExecutor, recorded: RecordedEvent[]) => inTransaction(sql, PersonalDataVault.unsealed(recorded, written, events)),
    };
    return PersonalDataVault.unsealedResult(await this.append(streamId, expected, events, unsealing || options), written, events);
  }

  private async append(streamId: string, expected: ExpectedVersion, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const json = assertAppendInput(streamId, expected, events, this.maxPayloadBytes, options);
    if (events.length === 0) return this.appendNothing(streamId, expected);
    const batch = { streamId, expected, events, json };
    const result = options?.inTransaction
      ? await this.partitions.retrying(events.length, () => appendInTransaction(this.driver, this.schema, batch, options, options.inTransaction!))
      : settled(await this.appends.submit({ batch, command: options?.command }));
    this.partitions.appended(result.globalPosition);
    // Listeners in this process hear at once; others through NOTIFY, sent after the commit.
    const types = distinctEventTypes(events);
    queueMicrotask(() => this.appendListeners.forEach((listener) => listener(result.globalPosition, types)));
    this.notifier.notify(result.globalPosition, types);
    return result;
  }

  async readCommand(commandId: string): Promise<CommandRecord | undefined> {
    assertIdentifier('command id', commandId);
    return this.commandReads.submit(commandId);
  }

  pruneCommands(before: Date): Promise<number> {
    return pruneCommands(this.driver, this.schema, before);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertIdentifier('stream id', streamId);
    const backward = options.direction === 'backward';
    const text = `SELECT ${EVENT_COLUMNS} FROM ${this.schema.quoted}.events
        WHERE stream_id = $1 AND stream_version ${backward ? '<=' : '>='} $2
        ORDER BY stream_version ${backward ? 'DESC' : 'ASC'} LIMIT $3`;
    const params = [streamId, options.fromVersion ?? (backward ? MAX_STREAM_VERSION : 1), options.maxCount ?? null];
    // Every load of an aggregate reads its stream: prepared, unless an operator asked the replica.
    const { rows } = options.fromReplica
      ? await this.operatorSql.query<EventRow>(text, params)
      : await this.driver.prepared<EventRow>(`es_stream_${backward ? 'backward' : 'forward'}_${this.schema.name}`, text, params);
    return this.vault.open(rows.map(toRecordedEvent));
  }

  iterateStream(streamId: string, options: ReadStreamOptions & { pageSize?: number } = {}): AsyncIterable<RecordedEvent> {
    return iterateStreamPages((page) => this.readStream(streamId, page), options);
  }

  deleteStream(streamId: string, options?: DeleteStreamOptions): Promise<StreamRemoval> {
    return deleteStream(this, this.removeBefore, streamId, options);
  }

  truncateStream(streamId: string, before: number, options?: TruncateStreamOptions): Promise<StreamRemoval> {
    return truncateStream(this, this.removeBefore, streamId, before, options);
  }

  async streamVersion(streamId: string): Promise<number> {
    assertIdentifier('stream id', streamId);
    const { rows } = await this.driver.query<{ version: number }>(`SELECT ${latestVersion(this.schema.quoted, '$1')} AS version`, [streamId]);
    return Number(rows[0]?.version ?? 0);
  }

  async streamVersionAt(streamId: string, time: Date): Promise<number> {
    assertIdentifier('stream id', streamId);
    assertTime(time);
    // A stored time is finer than a Date: all of the millisecond `time` names counts as at or before it.
    const { rows } = await this.driver.query<{ version: number }>(
      `SELECT stream_version AS version FROM ${this.schema.quoted}.events
        WHERE stream_id = $1 AND created_at < $2 ORDER BY stream_version DESC LIMIT 1`,
      [streamId, new Date(time.getTime() + 1)],
    );
    return Number(rows[0]?.version ?? 0);
  }

  openAllReader(afterPosition: number, filter?: AllStreamFilter): AllStreamReader {
    const narrowing = filtersNothing(filter) ? undefined : filter;
    if (narrowing) assertFilter(narrowing);
    const settledRanges = (minLag: number) => new SettledRanges(new SettledHead(this.driver, this.schema), minLag);
    // With a replica, the replica reader asks for the settled ranges and reads them there.
    const onPrimary = (position: number): AllStreamReader =>
      narrowing
        ? new SqlFilteredReader(this.driver, this.schema, position, narrowing, this.replica ? undefined : settledRanges(MAX_WINDOW))
        : new SqlAllStreamReader(this.driver, this.schema, position);
    const reader = this.replica
      ? new SqlReplicaReader(this.replica, settledRanges(this.replica.minLag), this.schema, afterPosition, narrowing, onPrimary)
      : onPrimary(afterPosition);
    return this.vault.opening(reader);
  }

  iterateAll(afterPosition: number, options: { pageSize?: number } = {}): AsyncIterable<RecordedEvent> {
    return iterateReader(this.openAllReader(afterPosition), options.pageSize);
  }

  async headPosition(): Promise<number> {
    // Once the books are closed the events table may hold none of them: the head is then below the cut.
    const { rows } = await this.driver.query<{ head: string }>(
      `SELECT coalesce((SELECT max(global_position) FROM ${this.schema.quoted}.events),
                       (SELECT max(before_position) - 1 FROM ${this.schema.quoted}.closed_books), 0) AS head`,
    );
    return Number(rows[0].head);
  }

  async positionBefore(time: Date): Promise<number> {
    // The events table only grows, so its rows lie in time order: a BRIN range index finds the first at or after `time`.
    const { rows } = await this.driver.query<{ position: string | null }>(
      `SELECT coalesce((SELECT min(global_position) - 1 FROM ${this.schema.quoted}.events WHERE created_at >= $1),
                       (SELECT max(global_position) FROM ${this.schema.quoted}.events), 0)::text AS position`,
      [time],
    );
    return Number(rows[0].position);
  }

  onAppended(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    this.stopListening ??= this.driver.listen(this.schema.channel, (payload) => this.announce(payload));
    return () => this.appendListeners.delete(listener);
  }

  async readSnapshot(streamId: string): Promise<Snapshot | undefined> {
    assertIdentifier('stream id', streamId);
    return this.snapshotReads.submit(streamId);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    assertSnapshotInput(snapshot, this.maxPayloadBytes);
    await upsertSnapshot(this.driver, this.schema, snapshot);
  }

  async deleteSnapshot(streamId: string): Promise<void> {
    assertIdentifier('stream id', streamId);
    await deleteSnapshot(this.driver, this.schema, streamId);
  }

  async acquireSubscription(name: string, owner?: string): Promise<SubscriptionLease | undefined> {
    assertIdentifier('subscription name', name);
    return this.leases.acquire(name, owner);
  }

  async readCheckpoint(name: string): Promise<number> {
    assertIdentifier('subscription name', name);
    return readCheckpoint(this.driver, this.schema, name);
  }

  async listStreams(options: ListStreamsOptions): Promise<StreamPage> {
    assertListStreamsOptions(options);
    return listStreams(this.operatorSql, this.schema, options);
  }

  async replicaStatus(): Promise<ReplicaStatus | undefined> {
    return this.replica?.status(this.sql);
  }

  /**
   * Lays the events table out as partitions of `rangeSize` global positions (see
   * `partition-events.ts`); a dry run only says what it would do. Nothing to do on a partitioned store.
   */
  partitionEvents(rangeSize: number, dryRun = false): Promise<PartitionPlan> {
    const problems = partitioningProblems({ rangeSize });
    if (problems.length) throw new InvalidOptionsError(problems);
    return partitionEvents(this.driver, this.schema, { rangeSize, dryRun });
  }

  /**
   * Closes the books before a global position, or before the first event recorded at or after a
   * time: archives the partitions wholly below it once every stream there has a covering snapshot
   * (see `close-books.ts`). Readers of all events then start at the cut.
   */
  async closeBooks(before: number | Date, options: { dryRun?: boolean } = {}): Promise<ClosedBooks> {
    const position = before instanceof Date ? (await this.positionBefore(before)) + 1 : before;
    if (!Number.isSafeInteger(position) || position < 1) {
      throw new InvalidOptionsError([`closeBooks needs a global position of at least 1 or a valid Date, got ${JSON.stringify(before)}`]);
    }
    return closeBooks(this.driver, this.schema, position, options.dryRun ?? false);
  }

  /** Every global position below this one was archived by closing the books; 0 when they never were. */
  booksClosedBefore(): Promise<number> {
    return booksClosedBefore(this.sql, this.schema);
  }

  /** An empty append changes nothing, so checking against a plain read is enough. */
  private async appendNothing(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const version = await this.streamVersion(streamId);
    checkExpectedVersion(streamId, expected, version);
    return { streamVersion: version, globalPosition: await this.headPosition(), events: [] };
  }

  /** Wakes the listeners; after a reconnect (no payload) with the head, as messages may have been missed. */
  private announce(payload?: string): void {
    const notice = parseAppendNotice(payload);
    if (notice.sender === this.sender) return;
    const position = notice.position !== undefined ? Promise.resolve(notice.position) : this.headPosition();
    position.then(
      (head) => this.appendListeners.forEach((listener) => listener(head, notice.types)),
      () => undefined,
    );
  }
}
