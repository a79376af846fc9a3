import { isDuplicateCommand } from '../../lib/errors/duplicate-command.error.js';
import { isDuplicateEvent } from '../../lib/errors/duplicate-event.error.js';
import { isWrongExpectedVersion, type WrongExpectedVersionError } from '../../lib/errors/wrong-expected-version.error.js';
import type { CommandToRecord } from '../../lib/event-store/command-record.js';
import type { EventStore } from '../../lib/event-store/event-store.interface.js';
import { ANY, type ExpectedVersion } from '../../lib/event-store/expected-version.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { newEvent } from '../../lib/event-store/conformance/conformance-events.js';
import type { SqlStoreFactory } from '../../lib/store.js';
import { APPEND_FLIGHTS } from '../../lib/event-store/sql/sql-append-group.js';

/** One append of a group, as a test names it. */
export interface GroupMember {
  stream: string;
  expected: ExpectedVersion;
  events?: NewEvent[];
  command?: string;
}

const toCommand = (commandId: string): CommandToRecord => ({ commandId, commandType: 'Note', payloadHash: 'h' });

/**
 * Sends as many lone appends as the store keeps groups in flight, then `members` in the same turn:
 * the lone ones leave at once, one per flight, and the members wait for the first to land, so they
 * go to the database as one group. Settles each as it settles.
 */
export function appendAsGroup(
  store: EventStore,
  members: GroupMember[],
): { leads: Promise<AppendResult[]>; outcomes: Promise<PromiseSettledResult<AppendResult>[]> } {
  const leads = Array.from({ length: APPEND_FLIGHTS }, (_, i) => store.appendToStream(`lead-${i}-${members[0].stream}`, ANY, [newEvent()]));
  const grouped = members.map(({ stream, expected, events, command }) =>
    store.appendToStream(stream, expected, events ?? [newEvent({ stream })], command === undefined ? undefined : { command: toCommand(command) }),
  );
  return { leads: Promise.all(leads), outcomes: Promise.allSettled(grouped) };
}

const fulfilled = (outcome: PromiseSettledResult<AppendResult>): AppendResult => {
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
};
const reason = (outcome: PromiseSettledResult<AppendResult>): unknown => (outcome.status === 'rejected' ? outcome.reason : outcome.value);
/** The transaction (xmin) that wrote each event, by `stream@version`. */
const writersOf = async (store: EventStore, schema: string): Promise<Map<string, string>> => {
  const { rows } = await store.sql!.query<{ stream_id: string; stream_version: number; writer: string }>(
    `SELECT stream_id, stream_version, xmin::text AS writer FROM "${schema}".events`,
  );
  return new Map(rows.map((row) => [`${row.stream_id}@${row.stream_version}`, row.writer]));
};
const allEvents = async (store: EventStore): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for await (const event of store.iterateAll(0)) all.push(event);
  return all;
};

/**
 * Group commit of the SQL stores: concurrent appends to different streams go as one statement in
 * one transaction (its events share the transaction's id and time), each with its own expected version
 * and command record, and a refused one fails only its own append.
 */
/**
 * `eventIds: 'partition'`: the store refuses a stored event id only within the partition holding it
 * (a partitioned events table, see lib/event-store/sql/event-partitions.ts); the test of a stored
 * id refused then lives in test/event-store/postgres-partitioned-store.spec.ts, where the partition is known.
 */
export function describeGroupedAppends(
  adapter: string,
  factory: SqlStoreFactory,
  { eventIds = 'store' }: { eventIds?: 'store' | 'partition' } = {},
): void {
  describe(`grouped appends: ${adapter}`, () => {
    let store: EventStore;
    let schema: string;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, schema, dispose } = await factory());
    });
    afterEach(() => dispose());

    it('commits concurrent appends to 5 streams in one transaction; the one with a wrong expected version alone fails', async () => {
      for (let i = 1; i <= 5; i++) await store.appendToStream(`g-${i}`, ANY, [newEvent()]);
      const members = [1, 2, 3, 4, 5].map((i): GroupMember => ({ stream: `g-${i}`, expected: i === 3 ? 0 : 1 }));
      const group = appendAsGroup(store, members);
      const [leads, outcomes] = await Promise.all([group.leads, group.outcomes]);

      const refused = reason(outcomes[2]) as WrongExpectedVersionError;
      expect(isWrongExpectedVersion(refused)).toBe(true);
      expect(refused).toMatchObject({ streamId: 'g-3', expected: 0, actual: 1 });
      const stored = [0, 1, 3, 4].map((i) => fulfilled(outcomes[i]));
      expect(stored.map((result) => result.streamVersion)).toEqual([2, 2, 2, 2]);
      // Positions follow the order of the appends (lone appends still in flight may draw between them).
      const grouped = stored.map((result) => result.globalPosition);
      expect(grouped.every((position, i) => i === 0 || position > grouped[i - 1])).toBe(true);
      expect(new Set(stored.map((result) => result.events[0].createdAt.getTime())).size).toBe(1);
      // Rows written by one statement share the transaction that wrote them; each lone one has its own.
      const writers = await writersOf(store, schema);
      expect(new Set(['g-1', 'g-2', 'g-4', 'g-5'].map((stream) => writers.get(`${stream}@2`))).size).toBe(1);
      const leadWriters = new Set(leads.map((lead) => writers.get(`${lead.events[0].streamId}@1`)));
      expect(leadWriters.size).toBe(APPEND_FLIGHTS);
      expect(leadWriters.has(writers.get('g-1@2'))).toBe(false);

      for (const i of [1, 2, 4, 5]) expect((await store.readStream(`g-${i}`)).map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(await store.streamVersion('g-3')).toBe(1);
      // The refused append drew no position: the order has no gap.
      const all = await allEvents(store);
      expect(all.map((e) => e.globalPosition)).toEqual(Array.from({ length: 9 + APPEND_FLIGHTS }, (_, i) => i + 1));
      expect(all.filter((e) => e.streamId.startsWith('g-') && e.streamVersion === 2).map((e) => [e.streamId, e.streamVersion])).toEqual([
        ['g-1', 2],
        ['g-2', 2],
        ['g-4', 2],
        ['g-5', 2],
      ]);
    });

    it('fails only the append whose command is already recorded, or recorded earlier in the same group', async () => {
      await store.appendToStream('earlier', ANY, [newEvent()], { command: toCommand('once') });
      const outcomes = await appendAsGroup(store, [
        { stream: 'c-1', expected: 0, command: 'c-1' },
        { stream: 'c-2', expected: 0, command: 'once' },
        { stream: 'c-3', expected: 0, command: 'twice' },
        { stream: 'c-4', expected: 0, command: 'twice' },
        { stream: 'c-5', expected: 0, command: 'c-5', events: [newEvent(), newEvent()] },
      ]).outcomes;

      expect(isDuplicateCommand(reason(outcomes[1]))).toBe(true);
      expect(isDuplicateCommand(reason(outcomes[3]))).toBe(true);
      expect([0, 2, 4].map((i) => fulfilled(outcomes[i]).streamVersion)).toEqual([1, 1, 2]);
      expect(await store.streamVersion('c-2')).toBe(0);
      expect(await store.streamVersion('c-4')).toBe(0);
      expect(await store.readCommand('once')).toMatchObject({ streamId: 'earlier' });
      expect(await store.readCommand('twice')).toMatchObject({ streamId: 'c-3', firstVersion: 1, lastVersion: 1 });
      expect(await store.readCommand('c-5')).toMatchObject({ streamId: 'c-5', firstVersion: 1, lastVersion: 2 });
    });

    const storeWide = eventIds === 'store' ? it : () => undefined;
    storeWide('fails only the append holding a stored event id; the appends after it still commit', async () => {
      const stored = newEvent();
      await store.appendToStream('first', ANY, [stored]);
      const outcomes = await appendAsGroup(store, [
        { stream: 'd-1', expected: ANY },
        { stream: 'd-2', expected: ANY, events: [newEvent(), { ...newEvent(), eventId: stored.eventId }] },
        { stream: 'd-3', expected: ANY },
      ]).outcomes;

      expect(isDuplicateEvent(reason(outcomes[1]))).toBe(true);
      expect(fulfilled(outcomes[0]).streamVersion).toBe(1);
      expect(fulfilled(outcomes[2]).streamVersion).toBe(1);
      expect(await store.streamVersion('d-2')).toBe(0);
    });

    it('appends twice to one stream within a group in order, each checked against the one before', async () => {
      const outcomes = await appendAsGroup(store, [
        { stream: 'same', expected: 0 },
        { stream: 'same', expected: 1 },
        { stream: 'same', expected: 1 },
      ]).outcomes;

      expect(fulfilled(outcomes[0]).streamVersion).toBe(1);
      expect(fulfilled(outcomes[1]).streamVersion).toBe(2);
      expect(reason(outcomes[2])).toMatchObject({ streamId: 'same', expected: 1, actual: 2 });
    });
  });
}
