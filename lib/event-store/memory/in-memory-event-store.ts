import { type AllStreamFilter, assertFilter, filtersNothing, passesFilter } from '../all-stream-filter.js';
import { distinctEventTypes } from '../distinct-event-types.js';
import { DuplicateCommandError } from '../../errors/duplicate-command.error.js';
import { DuplicateEventError } from '../../errors/duplicate-event.error.js';
import { assertAppendShape } from '../append-input.js';
import { checkExpectedVersion, checkNotDeleted } from '../check-expected-version.js';
import type { AppendOptions, CommandRecord } from '../command-record.js';
import type { AllStreamReader, AppendListener, EventStore, ReadStreamOptions } from '../event-store.interface.js';
import type { ExpectedVersion } from '../expected-version.js';
import { iterateReader, iterateStreamPages } from '../iterate-pages.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../payload-size.js';
import type { AppendResult, NewEvent, RecordedEvent, Snapshot } from '../recorded-event.js';
import { assertSnapshotInput } from '../snapshot-input.js';
import { assertIdentifier } from '../store-strings.js';
import { assertTime } from '../aggregate-at.js';
import type { SubscriptionLease } from '../subscription-lease.interface.js';
import { assertListStreamsOptions, type ListStreamsOptions, pageOfStreams, type StreamPage } from '../stream-summary.js';
import { MemoryMemberTable } from './memory-member-table.js';
import { type MemorySnapshots, MemoryScheduledCommands } from './memory-scheduled-commands.js';
import { MemoryParkedEvents } from './memory-parked-events.js';
import { type MemoryLeaseContext, MemorySubscriptionLease } from './memory-subscription-lease.js';
import { MemorySubscriptionControl } from './memory-subscription-control.js';
import { storedEvents } from './stored-events.js';
import { ConfigurationError } from '../../errors/configuration.error.js';
import { deleteStream, type RemoveEventsBefore, truncateStream } from '../remove-stream-events.js';
import { type DeleteStreamOptions, isTombstone, type StreamRemoval, type TruncateStreamOptions } from '../stream-removal.js';
import { PersonalDataVault } from '../personal-data-vault.js';
import { MemorySubjectKeys } from './memory-subject-keys.js';

/** Why the memory store refuses work inside an append's transaction (inline projectors). */
export const MEMORY_HAS_NO_TRANSACTION =
  'The memory event store has no transactions to run inline projectors in: use the postgres or embedded adapter, or declare the projector without `inline: true`';

/** Reads hand out mutable copies, as the SQL adapters do. */
const clone = <T>(value: T): T => structuredClone(value);

/**
 * The in-memory adapter: same semantics as the SQL adapters, nothing survives the process.
 * One instance may be shared by several application instances in a test, which then contend
 * for subscriptions exactly as separate processes would.
 */
export class InMemoryEventStore implements EventStore {
  /** Cluster members among the applications sharing this instance. */
  readonly members = new MemoryMemberTable();
  readonly scheduledCommands: MemoryScheduledCommands;
  /** Parked events of the subscriptions run on this store. */
  readonly parkedEvents = new MemoryParkedEvents();
  /** Keys of the data subjects whose personal fields the events hold. */
  readonly subjectKeys = new MemorySubjectKeys();
  /** Seals personal fields before they are kept and opens them on every read. */
  private readonly vault = new PersonalDataVault(this.subjectKeys);
  /** Every position, in order; a removed event leaves `undefined` (a hole) where it was. */
  private readonly all: Array<RecordedEvent | undefined> = [];
  /** Each stream's versions, in order, holes included. */
  private readonly streams = new Map<string, Array<RecordedEvent | undefined>>();
  private readonly eventIds = new Set<string>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly commands = new Map<string, CommandRecord>();
  private readonly holders = new Map<string, MemorySubscriptionLease>();
  /** Checkpoints and operator control of the subscriptions. */
  readonly control = new MemorySubscriptionControl(this);
  private readonly leaseContext: MemoryLeaseContext = {
    holder: (name) => this.holders.get(name),
    subscriptions: this.control,
    parked: this.parkedEvents,
    free: (name) => this.holders.delete(name),
  };
  private readonly listeners = new Set<AppendListener>();

  constructor(private readonly maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES) {
    const snapshots: MemorySnapshots = {
      save: (snapshot) => this.keepSnapshot(snapshot),
      delete: (streamId) => this.snapshots.delete(streamId),
    };
    this.scheduledCommands = new MemoryScheduledCommands(snapshots, maxPayloadBytes);
  }

  async init(): Promise<void> {}
  async close(): Promise<void> {}

  async appendToStream(streamId: string, expected: ExpectedVersion, written: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    assertAppendShape(streamId, expected, written, options);
    if (options?.inTransaction) throw new ConfigurationError(MEMORY_HAS_NO_TRANSACTION);
    if (!PersonalDataVault.carriesPersonalData(written)) return this.append(streamId, expected, written, options);
    const events = await this.vault.seal(written);
    return PersonalDataVault.unsealedResult(this.append(streamId, expected, events, options), written, events);
  }

  /** Keeps the events as given, in one synchronous step: no other append runs between the check and the write. */
  private append(streamId: string, expected: ExpectedVersion, events: NewEvent[], options?: AppendOptions): AppendResult {
    const stream = this.streams.get(streamId);
    const version = stream?.length ?? 0;
    const createdAt = new Date();
    // Built before the version check: the SQL adapters check payloads first, so a refusal names the same problem.
    const recorded = storedEvents(events, { streamId, version, position: this.all.length, createdAt }, this.maxPayloadBytes);
    checkExpectedVersion(streamId, expected, version);
    if (events.length) checkNotDeleted(streamId, expected, version, stream !== undefined && isTombstone(stream[version - 1]!));
    this.takeEventIds(events);
    const command = events.length ? options?.command : undefined;
    if (command && this.commands.has(command.commandId)) {
      this.giveBackEventIds(events, events.length);
      throw new DuplicateCommandError(command.commandId, 'another append');
    }
    const into = stream ?? [];
    if (!stream && recorded.length) this.streams.set(streamId, into);
    for (const event of recorded) {
      into.push(event);
      this.all.push(event);
    }
    const result = { streamVersion: into.length, globalPosition: this.all.length, events: recorded };
    if (command) {
      const firstVersion = version + 1;
      this.commands.set(
        command.commandId,
        Object.assign({}, command, { streamId, firstVersion, lastVersion: into.length, globalPosition: this.all.length, createdAt }),
      );
    }
    if (recorded.length && this.listeners.size) {
      const types = distinctEventTypes(recorded);
      queueMicrotask(() => this.listeners.forEach((listener) => listener(result.globalPosition, types)));
    }
    return result;
  }

  async readCommand(commandId: string): Promise<CommandRecord | undefined> {
    assertIdentifier('command id', commandId);
    return clone(this.commands.get(commandId));
  }

  async pruneCommands(before: Date): Promise<number> {
    let pruned = 0;
    for (const [id, record] of this.commands) {
      if (record.createdAt < before && this.commands.delete(id)) pruned++;
    }
    return pruned;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertIdentifier('stream id', streamId);
    const stream = this.streams.get(streamId) ?? [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    const backward = options.direction === 'backward';
    const step = backward ? -1 : 1;
    // Walks from the first version asked for, over the holes removals left, until the page is full.
    const read: RecordedEvent[] = [];
    let i = backward ? Math.min(options.fromVersion ?? stream.length, stream.length) - 1 : Math.max(options.fromVersion ?? 1, 1) - 1;
    for (; i >= 0 && i < stream.length && read.length < max; i += step) if (stream[i]) read.push(stream[i]!);
    return this.vault.open(clone(read));
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

  /** Leaves a hole at each removed version and position, and forgets the event ids, as a deleted row would. */
  private readonly removeBefore: RemoveEventsBefore = async (streamId, before, dryRun) => {
    const stream = this.streams.get(streamId) ?? [];
    const versions: number[] = [];
    for (let i = 0; i < Math.min(before - 1, stream.length); i++) {
      const event = stream[i];
      if (!event) continue;
      versions.push(event.streamVersion);
      if (dryRun) continue;
      stream[i] = undefined;
      this.all[event.globalPosition - 1] = undefined;
      this.eventIds.delete(event.eventId);
    }
    if (!versions.length) return { removed: 0 };
    return { removed: versions.length, removedVersions: { from: versions[0], to: versions[versions.length - 1] } };
  };

  async streamVersion(streamId: string): Promise<number> {
    assertIdentifier('stream id', streamId);
    return this.streams.get(streamId)?.length ?? 0;
  }

  async streamVersionAt(streamId: string, time: Date): Promise<number> {
    assertIdentifier('stream id', streamId);
    assertTime(time);
    const stream = this.streams.get(streamId) ?? [];
    let i = stream.length - 1;
    while (i >= 0 && !(stream[i] && stream[i]!.createdAt.getTime() <= time.getTime())) i--;
    return i + 1;
  }

  openAllReader(afterPosition: number, filter?: AllStreamFilter): AllStreamReader {
    if (filter) assertFilter(filter);
    const all = this.all;
    const passes = filtersNothing(filter) ? () => true : (event: RecordedEvent) => passesFilter(filter!, event);
    const reader = {
      position: afterPosition,
      atHead: false,
      async next(maxCount: number) {
        const page: RecordedEvent[] = [];
        let looked = this.position;
        // Every event in memory is final: the reader looks as far as the page needs or the head.
        while (looked < all.length && page.length < maxCount) {
          const event = all[looked++];
          if (event && passes(event)) page.push(event);
        }
        this.position = looked;
        this.atHead = looked >= all.length;
        return clone(page);
      },
    };
    return this.vault.opening(reader);
  }

  iterateAll(afterPosition: number, options: { pageSize?: number } = {}): AsyncIterable<RecordedEvent> {
    return iterateReader(this.openAllReader(afterPosition), options.pageSize);
  }

  async headPosition(): Promise<number> {
    return this.all.length;
  }

  async positionBefore(time: Date): Promise<number> {
    const first = this.all.findIndex((event) => event && event.createdAt >= time);
    return first === -1 ? this.all.length : first;
  }

  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async readSnapshot(streamId: string): Promise<Snapshot | undefined> {
    assertIdentifier('stream id', streamId);
    return clone(this.snapshots.get(streamId));
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    assertSnapshotInput(snapshot, this.maxPayloadBytes);
    this.keepSnapshot(snapshot);
  }

  private keepSnapshot(snapshot: Snapshot): void {
    this.snapshots.set(snapshot.streamId, { ...clone(snapshot), createdAt: new Date() });
  }

  async deleteSnapshot(streamId: string): Promise<void> {
    assertIdentifier('stream id', streamId);
    this.snapshots.delete(streamId);
  }

  async readCheckpoint(name: string): Promise<number> {
    assertIdentifier('subscription name', name);
    return this.control.position(name);
  }

  async acquireSubscription(name: string, owner?: string): Promise<SubscriptionLease | undefined> {
    assertIdentifier('subscription name', name);
    if (this.holders.has(name)) return undefined;
    const lease = new MemorySubscriptionLease(this.control.take(name, owner ?? null), this.leaseContext);
    this.holders.set(name, lease);
    return lease;
  }

  async listStreams(options: ListStreamsOptions): Promise<StreamPage> {
    assertListStreamsOptions(options);
    const summaries = [...this.streams].map(([streamId, stream]) => {
      // A removal never takes a stream's last event.
      const last = stream[stream.length - 1]!;
      return { streamId, version: stream.length, lastPosition: last.globalPosition, updatedAt: new Date(last.createdAt), deleted: isTombstone(last) };
    });
    return pageOfStreams(
      summaries.sort((a, b) => (a.streamId < b.streamId ? -1 : 1)),
      options,
    );
  }

  /**
   * Keeps the batch's event ids, or refuses the batch (keeping none) when one is stored already or
   * repeated within it. An id the set already holds leaves its size as it was: one probe of a set
   * as large as the store per id, where a lookup before the insert took two.
   */
  private takeEventIds(events: NewEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const held = this.eventIds.size;
      this.eventIds.add(events[i].eventId);
      if (this.eventIds.size === held) {
        this.giveBackEventIds(events, i);
        throw new DuplicateEventError(events[i].eventId);
      }
    }
  }

  /** Forgets the ids of the first `count` events, taken by {@link takeEventIds} for an append that is refused. */
  private giveBackEventIds(events: NewEvent[], count: number): void {
    for (let i = 0; i < count; i++) this.eventIds.delete(events[i].eventId);
  }
}
