import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { type AggregateAt, versionAt } from '../event-store/aggregate-at.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { isMemberAlive, type MemberStatus } from '../event-store/member-table.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { shown } from '../event-store/store-strings.js';
import { personalFieldsOf } from '../event-store/personal-fields.js';
import { type ListStreamsOptions, MAX_STREAM_PAGE, type StreamPage } from '../event-store/stream-summary.js';
import type { SubscriptionControlState } from '../event-store/subscription-control.interface.js';

/** A subscription and how far it trails the store's head. */
export interface SubscriptionLag extends SubscriptionControlState {
  /** Events written after its position: head − position. */
  lag: number;
}

/** What the store says about the whole system at one moment. */
export interface StoreOverview {
  /** Highest global position written. */
  head: number;
  subscriptions: SubscriptionLag[];
  /** Recorded cluster members, when the store keeps them (cluster mode with `discovery: 'store'`). */
  members?: MemberLiveness[];
  /** Positions below this one were archived by closing the books (0: never); absent on the memory store. */
  booksClosedBefore?: number;
}

/** A recorded member, and whether its heartbeat is recent enough for the cluster to count it. */
export interface MemberLiveness extends MemberStatus {
  /** False once no heartbeat came for `nodeTimeout`: the node is gone (killed), its record not yet replaced. */
  alive: boolean;
}

/** Which events of a stream to read. */
export interface EventPageOptions {
  /** First stream version. @default 1 */
  from?: number;
  /** Page size, 1 to 1000. */
  limit: number;
  /** Only the events up to this point: a version the stream has reached, or a time. @default its last event */
  at?: AggregateAt;
}

/** An event as operators see it: personal fields whose subject was forgotten are named. */
export interface ShownEvent extends RecordedEvent {
  /** Personal fields that read as their placeholder because their subject was forgotten. */
  forgottenFields?: string[];
}

/** A page of one stream's events; `next` is the version to read from for the following page. */
export interface EventPage {
  streamId: string;
  events: ShownEvent[];
  next?: number;
  /** With `at`: the last version it takes in (0 when a time came before every event kept). */
  until?: number;
}

/** The event with its forgotten personal fields named, when it has any. */
function shownEvent(event: RecordedEvent): ShownEvent {
  const personal = personalFieldsOf(event.metadata);
  if (!personal?.forgotten) return event;
  return { ...event, forgottenFields: personal.fields.filter((field) => field in event.data) };
}

function assertEventPageOptions({ from = 1, limit }: EventPageOptions): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(from) || from < 1) problems.push(`'from' must be a stream version of 1 or more, got ${shown(from)}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STREAM_PAGE) {
    problems.push(`'limit' must be a whole number from 1 to ${MAX_STREAM_PAGE}, got ${shown(limit)}`);
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}

/** Leases the library takes for its own work (e.g. `$scheduled-commands-<name>`): not subscriptions, no lag. */
const isInternalLease = (name: string): boolean => name.startsWith('$');

/**
 * Read-only views of an event store for operators, shared by the command line and the inspector:
 * nothing here writes, and each view costs a few indexed queries. Streams and a stream's events
 * come from the store's read replica when it has one; the overview (subscriptions, head, members)
 * always from the primary, since operators act on it.
 */
export class StoreDiagnostics {
  constructor(private readonly store: EventStore) {}

  /** `nodeTimeout`: the cluster's setting, telling a member that is gone from one that is alive. */
  async overview(nodeTimeout?: number): Promise<StoreOverview> {
    // Subscriptions first: a head read after them never makes a lag negative.
    const subscriptions = (await this.store.control.listControl()).filter((s) => !isInternalLease(s.name));
    const [head, members, booksClosedBefore] = await Promise.all([
      this.store.headPosition(),
      this.store.members?.list?.(),
      this.store.booksClosedBefore?.(),
    ]);
    return {
      head,
      ...(booksClosedBefore !== undefined && { booksClosedBefore }),
      subscriptions: subscriptions.map((s) => ({ ...s, lag: Math.max(0, head - s.position) })),
      ...(members && { members: members.map((m) => ({ ...m, alive: isMemberAlive(m, nodeTimeout) })) }),
    };
  }

  streams(options: ListStreamsOptions): Promise<StreamPage> {
    return this.store.listStreams(options);
  }

  async events(streamId: string, options: EventPageOptions): Promise<EventPage> {
    assertEventPageOptions(options);
    const from = options.from ?? 1;
    const until = options.at && (await versionAt(this.store, streamId, options.at));
    const within = until === undefined ? { streamId } : { streamId, until };
    if (until !== undefined && from > until) return { ...within, events: [] };
    const maxCount = Math.min(options.limit + 1, until === undefined ? Infinity : until - from + 1);
    const read = await this.store.readStream(streamId, { fromVersion: from, maxCount, fromReplica: true });
    const shown = read.filter((event) => until === undefined || event.streamVersion <= until);
    const events = shown.slice(0, options.limit).map(shownEvent);
    return shown.length > options.limit ? { ...within, events, next: events[events.length - 1].streamVersion + 1 } : { ...within, events };
  }
}
