import { isDuplicateCommand } from '../../errors/duplicate-command.error.js';
import { isDuplicateEvent } from '../../errors/duplicate-event.error.js';
import { isInvalidIdentifier } from '../../errors/invalid-identifier.error.js';
import { isInvalidEvent } from '../../errors/invalid-event.error.js';
import { isPayloadTooLarge } from '../../errors/payload-too-large.error.js';
import { isSubscriptionLost } from '../../errors/subscription-lost.error.js';
import { isWrongExpectedVersion, WrongExpectedVersionError } from '../../errors/wrong-expected-version.error.js';
import type { CommandToRecord } from '../command-record.js';
import type { EventStore } from '../event-store.interface.js';
import { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from '../expected-version.js';
import type { NewEvent, RecordedEvent } from '../recorded-event.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, events, newEvent, rejection, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';
import { describeOperatorReadsConformance } from './operator-reads-conformance.js';
import { describeFilteredReadsConformance } from './filtered-reads-conformance.js';
import { describeScheduledCommandsConformance } from './scheduled-commands-conformance.js';
import { describeStreamRemovalConformance } from './stream-removal-conformance.js';
import { describePersonalDataConformance } from './personal-data-conformance.js';
import { describeTimeTravelConformance } from './time-travel-conformance.js';
import { describeReplayWindowConformance } from './replay-window-conformance.js';

const collect = async (iterable: AsyncIterable<RecordedEvent>) => {
  const all: RecordedEvent[] = [];
  for await (const event of iterable) all.push(event);
  return all;
};

/**
 * Every event up to `head`, read on until the reader gets there (within `timeout` ms). A gap left
 * by a rolled-back append may lie between committed events, and a reader passes it only once it
 * is proven dead, which waits for the transactions open on the server then.
 */
const readUpTo = async (store: EventStore, head: number, timeout = 10_000) => {
  const reader = store.openAllReader(0);
  const all: RecordedEvent[] = [];
  for (const deadline = Date.now() + timeout; reader.position < head && Date.now() < deadline;) {
    const page = await reader.next(100);
    all.push(...page);
    if (!page.length) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return all;
};

/**
 * The semantics every EventStore adapter must share, checked method by method. Each adapter's spec
 * calls this with a factory of fresh stores; the tests run on Jest's globals unless given a runner.
 */
export function describeEventStoreConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  // Not toBeInstanceOf(Date): a Date made by structuredClone comes from another realm under Jest's VM.
  const expectDate = (value: unknown) => {
    expect(Object.prototype.toString.call(value)).toBe('[object Date]');
    expect(Number.isNaN((value as Date).getTime())).toBe(false);
  };

  describeScheduledCommandsConformance(adapter, factory, runner);
  describe(`EventStore conformance: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });
    afterEach(() => dispose());

    const append = (streamId: string, expected: ExpectedVersion, batch: NewEvent[], command?: CommandToRecord) =>
      store.appendToStream(streamId, expected, batch, command && { command });
    const expectUnchanged = async (streamId: string, version: number, head: number) => {
      expect(await store.streamVersion(streamId)).toBe(version);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream(streamId)).toHaveLength(version);
    };

    describe('appendToStream', () => {
      it('records events with stream versions, increasing global positions and every field', async () => {
        const first = newEvent({ a: 1 }, { metadata: { user: 'u1' }, causationId: 'c-1', correlationId: 'k-1' });
        const second = newEvent({ nested: { list: [1, 'two', null] } });
        const result = await append('s-1', NO_STREAM, [first, second]);
        expect(result.streamVersion).toBe(2);
        expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2]);
        expect(result.events[1].globalPosition).toBeGreaterThan(result.events[0].globalPosition);
        expect(result.globalPosition).toBe(result.events[1].globalPosition);
        const stored = await store.readStream('s-1');
        expect(stored).toEqual(result.events);
        expect(stored[0]).toMatchObject({ ...first, streamId: 's-1', streamVersion: 1 });
        expect(stored[1]).toMatchObject({ eventId: second.eventId, data: second.data, metadata: {} });
        expectDate(stored[0].createdAt);
        expect(stored[1].causationId).toBeUndefined();
      });

      it('honours an exact expected version: the number of events already in the stream', async () => {
        await append('s-1', 0, events(2));
        expect((await append('s-1', 2, events(1))).streamVersion).toBe(3);
        const error = await rejection(append('s-1', 2, events(1)));
        expect(isWrongExpectedVersion(error)).toBe(true);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: 's-1', expected: 2, actual: 3 });
        expect(isWrongExpectedVersion(await rejection(append('s-1', 4, events(1))))).toBe(true);
        expect(isWrongExpectedVersion(await rejection(append('s-1', 0, events(1))))).toBe(true);
        expect(isWrongExpectedVersion(await rejection(append('empty', 1, events(1))))).toBe(true);
        await expectUnchanged('s-1', 3, 3);
        await expectUnchanged('empty', 0, 3);
      });

      it('honours NO_STREAM, STREAM_EXISTS and ANY', async () => {
        expect(isWrongExpectedVersion(await rejection(append('s-1', STREAM_EXISTS, events(1))))).toBe(true);
        await append('s-1', NO_STREAM, events(1));
        expect(isWrongExpectedVersion(await rejection(append('s-1', NO_STREAM, events(1))))).toBe(true);
        expect((await append('s-1', STREAM_EXISTS, events(1))).streamVersion).toBe(2);
        expect((await append('s-1', ANY, events(2))).streamVersion).toBe(4);
        expect((await append('s-2', ANY, events(1))).streamVersion).toBe(1);
        await expectUnchanged('s-1', 4, 5);
      });

      it('lets exactly one of many concurrent appends with the same expectation win', async () => {
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => append('race', 0, events(2))));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) if (o.status === 'rejected') expect(isWrongExpectedVersion(o.reason)).toBe(true);
        expect((await store.readStream('race')).map((e) => e.streamVersion)).toEqual([1, 2]);
      });

      it('refuses a duplicate event id, across appends and inside a batch, writing nothing', async () => {
        const event = newEvent();
        await append('s-1', NO_STREAM, [event]);
        const again = await rejection(append('s-2', ANY, [newEvent(), event]));
        expect(isDuplicateEvent(again)).toBe(true);
        expect(again).toMatchObject({ eventId: event.eventId });
        const twin = newEvent();
        expect(isDuplicateEvent(await rejection(append('s-3', ANY, [twin, { ...twin }])))).toBe(true);
        await expectUnchanged('s-1', 1, 1);
        await expectUnchanged('s-2', 0, 1);
        await expectUnchanged('s-3', 0, 1);
      });

      it('refuses an oversize payload before writing anything of the batch', async () => {
        const big = newEvent({ blob: 'x'.repeat(CONFORMANCE_MAX_PAYLOAD_BYTES) });
        expect(isPayloadTooLarge(await rejection(append('s-1', ANY, [newEvent(), big])))).toBe(true);
        const bigMetadata = newEvent({}, { metadata: { blob: 'y'.repeat(CONFORMANCE_MAX_PAYLOAD_BYTES) } });
        expect(isPayloadTooLarge(await rejection(append('s-1', ANY, [bigMetadata])))).toBe(true);
        await expectUnchanged('s-1', 0, 0);
      });

      it('accepts a payload of exactly the limit, escapes and multibyte text counted as stored, and refuses one byte more', async () => {
        // {"text":"..."} and {} around the text take 13 bytes; a newline is 2 bytes of JSON, an é 2 of UTF-8.
        const text = `\n${'é'.repeat((CONFORMANCE_MAX_PAYLOAD_BYTES - 13 - 2 - 1) / 2)}x`;
        const fits = newEvent({ text });
        await append('s-1', NO_STREAM, [fits]);
        expect((await store.readStream('s-1'))[0].data).toEqual({ text });
        expect(isPayloadTooLarge(await rejection(append('s-1', 1, [newEvent({ text: `${text}x` })])))).toBe(true);
        await expectUnchanged('s-1', 1, 1);
      });

      it('stores data and metadata as their JSON reads back', async () => {
        const data = { at: new Date(0), gone: undefined, nan: Number.NaN, list: [undefined, -0], nested: { toJSON: () => 'custom' } };
        await append('s-1', NO_STREAM, [newEvent(data, { metadata: { when: new Date(0), skipped: undefined } })]);
        const [stored] = await store.readStream('s-1');
        expect(stored.data).toStrictEqual({ at: '1970-01-01T00:00:00.000Z', nan: null, list: [null, 0], nested: 'custom' });
        expect(stored.metadata).toStrictEqual({ when: '1970-01-01T00:00:00.000Z' });
      });

      const invalid: Array<[string, string, ExpectedVersion, () => NewEvent[]]> = [
        ['array data', 's-1', ANY, () => [newEvent([] as unknown as Record<string, unknown>)]],
        ['null data', 's-1', ANY, () => [{ ...newEvent(), data: null as unknown as Record<string, unknown> }]],
        ['string data', 's-1', ANY, () => [{ ...newEvent(), data: 'text' as unknown as Record<string, unknown> }]],
        ['an event id that is not a UUID', 's-1', ANY, () => [newEvent({}, { eventId: 'not-a-uuid' })]],
        ['an empty event type', 's-1', ANY, () => [newEvent({}, { eventType: '' })]],
        ['an event type with a NUL', 's-1', ANY, () => [newEvent({}, { eventType: 'Bad\u0000Type' })]],
        ['a NUL in a data string', 's-1', ANY, () => [newEvent({ name: 'a\u0000b' })]],
        ['a NUL in a nested data key', 's-1', ANY, () => [newEvent({ list: [{ ['k\u0000']: 1 }] })]],
        ['a lone surrogate in data', 's-1', ANY, () => [newEvent({ name: 'x\ud800y' })]],
        ['a NUL in metadata', 's-1', ANY, () => [newEvent({}, { metadata: { user: '\u0000' } })]],
        ['a NUL in a correlation id', 's-1', ANY, () => [newEvent({}, { correlationId: 'k\u0000' })]],
        ['array metadata', 's-1', ANY, () => [newEvent({}, { metadata: [] as unknown as Record<string, unknown> })]],
        ['a negative expected version', 's-1', -1, () => [newEvent()]],
        ['a fractional expected version', 's-1', 1.5, () => [newEvent()]],
        ['an unknown expected version', 's-1', 'whatever' as ExpectedVersion, () => [newEvent()]],
        ['events that are not an array', 's-1', ANY, () => newEvent() as unknown as NewEvent[]],
      ];
      for (const [what, streamId, expected, batch] of invalid) {
        it(`refuses ${what} with InvalidEventError, writing nothing`, async () => {
          const input = batch();
          // A valid event first: the refusal must cover the whole batch.
          const error = await rejection(append(streamId, expected, Array.isArray(input) ? [newEvent({ ok: true }), ...input] : input));
          expect(isInvalidEvent(error)).toBe(true);
          expect(await store.headPosition()).toBe(0);
        });
      }

      it('stores text that merely looks like an escape, and well-formed surrogate pairs', async () => {
        const data = { text: 'back\\u0000slash \\\\u0000', emoji: '💸' };
        await append('s-1', ANY, [newEvent(data)]);
        expect((await store.readStream('s-1'))[0].data).toEqual(data);
      });

      it('checks the expected version of an empty batch without writing', async () => {
        await append('s-1', NO_STREAM, events(2));
        expect(await append('s-1', 2, [])).toMatchObject({ streamVersion: 2, globalPosition: 2, events: [] });
        expect(isWrongExpectedVersion(await rejection(append('s-1', 1, [])))).toBe(true);
        expect(isWrongExpectedVersion(await rejection(append('s-2', STREAM_EXISTS, [])))).toBe(true);
        await expectUnchanged('s-2', 0, 2);
      });
    });

    describe('identifiers', () => {
      const snapshotOf = (streamId: string) => ({ streamId, streamVersion: 1, snapshotType: 'T', snapshotVersion: 1, data: {} });
      const calls: Array<[string, (id: string) => Promise<unknown>]> = [
        ['appendToStream', (id) => store.appendToStream(id, ANY, [newEvent()])],
        ['appendToStream with a command', (id) => append('s-1', ANY, [newEvent()], { commandId: id, commandType: 'C', payloadHash: 'h' })],
        ['readStream', (id) => store.readStream(id)],
        ['iterateStream', (id) => collect(store.iterateStream(id))],
        ['streamVersion', (id) => store.streamVersion(id)],
        ['readSnapshot', (id) => store.readSnapshot(id)],
        ['saveSnapshot', (id) => store.saveSnapshot(snapshotOf(id))],
        ['deleteSnapshot', (id) => store.deleteSnapshot(id)],
        ['readCommand', (id) => store.readCommand(id)],
        ['acquireSubscription', (id) => store.acquireSubscription(id)],
        ['readCheckpoint', (id) => store.readCheckpoint(id)],
      ];
      const bad: Array<[string, unknown]> = [
        ['empty', ''],
        ['not a string', 42],
        ['with a NUL', 'account-\u0000'],
        ['with a lone surrogate', 'account-\udc00'],
        ['over 500 characters', 'a'.repeat(501)],
      ];

      for (const [method, call] of calls) {
        it(`${method} refuses ids the database cannot hold with InvalidIdentifierError, writing nothing`, async () => {
          for (const [what, id] of bad) {
            const error = await rejection(call(id as string));
            expect([what, isInvalidIdentifier(error)]).toEqual([what, true]);
          }
          expect(await store.headPosition()).toBe(0);
        });
      }

      it('accepts ids up to 500 characters of any valid Unicode', async () => {
        const id = `${'ä'.repeat(497)}💸!`;
        await store.appendToStream(id, NO_STREAM, [newEvent()]);
        expect(await store.streamVersion(id)).toBe(1);
      });
    });

    describe('recorded commands', () => {
      const command = (commandId: string, payloadHash = 'hash-1') => ({ commandId, commandType: 'Deposit', payloadHash });

      it('records the command that produced an append, with its stream versions and position', async () => {
        await append('s-1', ANY, events(2));
        const result = await append('s-1', 2, events(3), command('cmd-1'));
        const record = await store.readCommand('cmd-1');
        expect(record).toMatchObject({
          ...command('cmd-1'),
          streamId: 's-1',
          firstVersion: 3,
          lastVersion: 5,
          globalPosition: result.globalPosition,
        });
        expectDate(record?.createdAt);
        expect(await store.readCommand('cmd-unknown')).toBeUndefined();
      });

      it('keeps no event id of a refused append: its events append once the conflict is gone', async () => {
        const stored = newEvent();
        await append('s-1', NO_STREAM, [stored], command('cmd-1'));
        const [fresh, twin] = [newEvent(), newEvent()];
        expect(isDuplicateEvent(await rejection(append('s-2', ANY, [fresh, stored])))).toBe(true);
        expect(isDuplicateEvent(await rejection(append('s-2', ANY, [fresh, twin, { ...twin }])))).toBe(true);
        expect(isDuplicateCommand(await rejection(append('s-2', ANY, [fresh, twin], command('cmd-1'))))).toBe(true);
        expect((await append('s-2', NO_STREAM, [fresh, twin])).streamVersion).toBe(2);
        expect((await store.readStream('s-2')).map((event) => event.eventId)).toEqual([fresh.eventId, twin.eventId]);
      });

      it('refuses a second append of a recorded command id with DuplicateCommandError, writing nothing', async () => {
        await append('s-1', NO_STREAM, events(1), command('cmd-1'));
        const sameStream = await rejection(append('s-1', 1, events(1), command('cmd-1')));
        const otherStream = await rejection(append('s-2', ANY, events(1), command('cmd-1', 'hash-2')));
        expect(isDuplicateCommand(sameStream)).toBe(true);
        expect(isDuplicateCommand(otherStream)).toBe(true);
        expect(otherStream).toMatchObject({ commandId: 'cmd-1' });
        await expectUnchanged('s-1', 1, 1);
        await expectUnchanged('s-2', 0, 1);
        expect(await store.readCommand('cmd-1')).toMatchObject({ streamId: 's-1', payloadHash: 'hash-1' });
      });

      it('lets exactly one of many concurrent appends of one command id win, on any streams', async () => {
        const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => append(`race-${i}`, ANY, events(2), command('cmd-race'))));
        const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const o of outcomes) if (o.status === 'rejected') expect(isDuplicateCommand(o.reason)).toBe(true);
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(2);
        // The losers' rolled-back positions may lie between the winner's two.
        const all = await readUpTo(store, head);
        expect(all.map((e) => e.streamId)).toEqual([`race-${won[0]}`, `race-${won[0]}`]);
        expect(await store.readCommand('cmd-race')).toMatchObject({ streamId: `race-${won[0]}`, firstVersion: 1, lastVersion: 2 });
      });

      it('records nothing for an empty batch', async () => {
        await append('s-1', NO_STREAM, [], command('cmd-empty'));
        expect(await store.readCommand('cmd-empty')).toBeUndefined();
        await append('s-1', NO_STREAM, events(1), command('cmd-empty'));
        expect(await store.readCommand('cmd-empty')).toMatchObject({ lastVersion: 1 });
      });

      it('prunes only the commands recorded before the given time', async () => {
        await append('s-1', ANY, events(1), command('cmd-old'));
        await new Promise((resolve) => setTimeout(resolve, 30));
        const cutoff = new Date();
        await new Promise((resolve) => setTimeout(resolve, 30));
        await append('s-1', ANY, events(1), command('cmd-new'));
        expect(await store.pruneCommands(cutoff)).toBe(1);
        expect(await store.readCommand('cmd-old')).toBeUndefined();
        expect(await store.readCommand('cmd-new')).toBeDefined();
        expect(await store.pruneCommands(cutoff)).toBe(0);
        // The events stay: only the record of the command goes.
        expect(await store.streamVersion('s-1')).toBe(2);
      });
    });

    describe('reading', () => {
      beforeEach(async () => {
        for (let i = 1; i <= 10; i++) {
          await append('a', ANY, [newEvent({ stream: 'a', n: i })]);
          await append('b', ANY, [newEvent({ stream: 'b', n: i })]);
        }
      });

      it('reads a stream forward and backward from a version, up to maxCount', async () => {
        const versions = (list: RecordedEvent[]) => list.map((e) => e.streamVersion);
        expect(versions(await store.readStream('a'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(versions(await store.readStream('a', { fromVersion: 4, maxCount: 3 }))).toEqual([4, 5, 6]);
        expect(versions(await store.readStream('a', { direction: 'backward', maxCount: 3 }))).toEqual([10, 9, 8]);
        expect(versions(await store.readStream('a', { direction: 'backward', fromVersion: 2 }))).toEqual([2, 1]);
        expect(versions(await store.readStream('a', { fromVersion: 11 }))).toEqual([]);
        expect(await store.readStream('missing')).toEqual([]);
        expect((await store.readStream('b')).every((e) => e.data.stream === 'b')).toBe(true);
      });

      it('iterates a stream page by page in both directions', async () => {
        const forward = await collect(store.iterateStream('a', { pageSize: 3 }));
        expect(forward.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        const backward = await collect(store.iterateStream('a', { pageSize: 4, direction: 'backward', fromVersion: 9, maxCount: 6 }));
        expect(backward.map((e) => e.streamVersion)).toEqual([9, 8, 7, 6, 5, 4]);
        const limited = await collect(store.iterateStream('a', { pageSize: 2, fromVersion: 3, maxCount: 5 }));
        expect(limited.map((e) => e.streamVersion)).toEqual([3, 4, 5, 6, 7]);
      });

      it('knows stream versions and the head position', async () => {
        expect(await store.streamVersion('a')).toBe(10);
        expect(await store.streamVersion('b')).toBe(10);
        expect(await store.streamVersion('missing')).toBe(0);
        // A lone writer whose appends all succeed leaves no gap: every position drawn was written.
        expect(await store.headPosition()).toBe(20);
      });

      it('reads all events in global order through a reader that remembers its position', async () => {
        const reader = store.openAllReader(0);
        const first = await reader.next(7);
        expect(first.map((e) => e.globalPosition)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(first.map((e) => e.streamId)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a']);
        expect(reader.position).toBe(7);
        const rest = await reader.next(100);
        expect(rest.map((e) => e.globalPosition)).toEqual(Array.from({ length: 13 }, (_, i) => i + 8));
        expect(await reader.next(100)).toEqual([]);
        await append('c', ANY, events(1));
        expect((await reader.next(100)).map((e) => e.streamId)).toEqual(['c']);
        expect((await store.openAllReader(18).next(100)).map((e) => e.globalPosition)).toEqual([19, 20, 21]);
      });

      it('iterates all events after a position in pages', async () => {
        const all = await collect(store.iterateAll(5, { pageSize: 4 }));
        expect(all.map((e) => e.globalPosition)).toEqual(Array.from({ length: 15 }, (_, i) => i + 6));
        expect(all).toEqual(await store.openAllReader(5).next(100));
      });
    });

    it('wakes onAppended listeners after an append, until unsubscribed', async () => {
      const seen: number[] = [];
      const unsubscribe = store.onAppended((position) => seen.push(position));
      // The listener is a wake-up that may be set up asynchronously: append until it is heard.
      const deadline = Date.now() + 5000;
      let last: number;
      do {
        last = (await append('s-1', ANY, events(1))).globalPosition;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } while (!seen.some((p) => p >= last) && Date.now() < deadline);
      expect(seen.some((p) => p >= last)).toBe(true);
      unsubscribe();
      const count = seen.length;
      await append('s-1', ANY, events(1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toHaveLength(count);
    });

    describe('snapshots', () => {
      const snapshot = (streamVersion: number, data: Record<string, unknown>) => ({
        streamId: 'account-1',
        streamVersion,
        snapshotType: 'Account',
        snapshotVersion: 2,
        data,
      });

      it('saves, replaces, reads and deletes the snapshot of a stream', async () => {
        expect(await store.readSnapshot('account-1')).toBeUndefined();
        await store.saveSnapshot(snapshot(5, { balance: 10 }));
        await store.saveSnapshot(snapshot(9, { balance: 30, owner: { name: 'Ada' } }));
        const read = await store.readSnapshot('account-1');
        expect(read).toMatchObject(snapshot(9, { balance: 30, owner: { name: 'Ada' } }));
        expectDate(read?.createdAt);
        await store.deleteSnapshot('account-1');
        expect(await store.readSnapshot('account-1')).toBeUndefined();
      });

      it('refuses a snapshot with a NUL in its data and keeps the previous one', async () => {
        await store.saveSnapshot(snapshot(1, { small: true }));
        expect(isInvalidEvent(await rejection(store.saveSnapshot(snapshot(2, { name: 'a\u0000' }))))).toBe(true);
        expect(await store.readSnapshot('account-1')).toMatchObject({ streamVersion: 1 });
      });

      it('refuses an oversize snapshot and keeps the previous one', async () => {
        await store.saveSnapshot(snapshot(1, { small: true }));
        const error = await rejection(store.saveSnapshot(snapshot(2, { blob: 'x'.repeat(CONFORMANCE_MAX_PAYLOAD_BYTES) })));
        expect(isPayloadTooLarge(error)).toBe(true);
        expect(await store.readSnapshot('account-1')).toMatchObject({ streamVersion: 1, data: { small: true } });
      });
    });

    describe('subscriptions', () => {
      it('grants one lease per name until it is released', async () => {
        const lease = await store.acquireSubscription('projector');
        expect(lease).toBeDefined();
        expect(lease!.name).toBe('projector');
        expect(lease!.lost).toBe(false);
        expect(lease!.isNew).toBe(true);
        expect(await store.acquireSubscription('projector')).toBeUndefined();
        const other = await store.acquireSubscription('other');
        expect(other).toBeDefined();
        let lostCalls = 0;
        lease!.onLost(() => lostCalls++);
        await lease!.release();
        expect(lease!.lost).toBe(true);
        expect(lostCalls).toBe(1);
        expect(other!.lost).toBe(false);
        const again = await store.acquireSubscription('projector');
        expect(again).toBeDefined();
        expect(again!.isNew).toBe(false);
        await Promise.all([again!.release(), other!.release()]);
      });

      it('tells every lost-listener once, also one added after the loss', async () => {
        const lease = (await store.acquireSubscription('projector'))!;
        const heard: string[] = [];
        lease.onLost(() => heard.push('early'));
        lease.onLost(() => {
          throw new Error('a failing listener');
        });
        lease.onLost(() => heard.push('second'));
        await lease.release();
        await lease.release();
        lease.onLost(() => heard.push('late'));
        await Promise.resolve();
        expect(heard).toEqual(['early', 'second', 'late']);
      });

      it('grants a lease with the state the subscription had then: its own epoch and owner, the checkpoint, finished positions, the pause', async () => {
        const first = (await store.acquireSubscription('granted', 'node-a'))!;
        expect(first.granted.control).toMatchObject({
          name: 'granted',
          epoch: first.epoch,
          owner: 'node-a',
          position: 0,
          paused: false,
          resetTo: null,
        });
        expect(first.granted.progress).toEqual({ checkpoint: 0, finished: [] });
        await first.saveProgress({ checkpoint: 4, finished: [6, 9] });
        await store.control.setPaused('granted', true);
        await first.release();
        const next = (await store.acquireSubscription('granted', 'node-b'))!;
        expect(next.epoch).toBe(first.epoch + 1);
        expect(next.granted.control).toMatchObject({ epoch: next.epoch, owner: 'node-b', position: 4, paused: true, resetTo: null });
        expect(next.granted.progress).toEqual({ checkpoint: 4, finished: [6, 9] });
        await next.release();
      });

      it('grants every free lease asked for at once, and not one this store holds already', async () => {
        const holder = (await store.acquireSubscription('together-1'))!;
        const names = ['together-1', 'together-2', 'together-3', 'together-4'];
        const leases = await Promise.all(names.map((name) => store.acquireSubscription(name, 'node-b')));
        expect(leases.map((lease) => lease?.granted.control.owner)).toEqual([undefined, 'node-b', 'node-b', 'node-b']);
        await holder.release();
        await Promise.all(leases.map((lease) => lease?.release() ?? Promise.resolve()));
        expect((await store.control.listControl()).filter((s) => names.includes(s.name)).map((s) => s.owner)).toEqual([null, null, null, null]);
      });

      it('hands out only one lease when acquires race', async () => {
        const leases = await Promise.all(Array.from({ length: 5 }, () => store.acquireSubscription('racy')));
        expect(leases.filter(Boolean)).toHaveLength(1);
      });

      it('stores checkpoints that anyone can read', async () => {
        expect(await store.readCheckpoint('projector')).toBe(0);
        const lease = (await store.acquireSubscription('projector'))!;
        expect(await lease.readCheckpoint()).toBe(0);
        await lease.saveCheckpoint(7);
        expect(await store.readCheckpoint('projector')).toBe(7);
        expect(await lease.readCheckpoint()).toBe(7);
        await lease.release();
        expect(await store.readCheckpoint('projector')).toBe(7);
        expect(await store.readCheckpoint('other')).toBe(0);
      });

      it('moves the checkpoint with a transaction, and not when its work fails', async () => {
        const lease = (await store.acquireSubscription('projector'))!;
        expect(await lease.transaction(3, async () => 'done')).toBe('done');
        expect(await store.readCheckpoint('projector')).toBe(3);
        await expect(lease.transaction(4, async () => Promise.reject(new Error('handler failed')))).rejects.toThrow('handler failed');
        expect(await store.readCheckpoint('projector')).toBe(3);
        await lease.release();
      });

      it('lets a transaction decide its write from what its work returned', async () => {
        const lease = (await store.acquireSubscription('projector'))!;
        const decided: number[] = [];
        const write = (reached: number) => (decided.push(reached), { checkpoint: reached, finished: [reached + 2] });
        expect(await lease.transaction(write, async () => 5)).toBe(5);
        expect(decided).toEqual([5]);
        expect(await lease.readProgress()).toEqual({ checkpoint: 5, finished: [7] });
        expect(
          await lease.transaction(
            (reached: number) => reached,
            async () => 6,
          ),
        ).toBe(6);
        expect(await store.readCheckpoint('projector')).toBe(6);
        await lease.release();
      });

      it('refuses checkpoint writes through a released lease', async () => {
        const stale = (await store.acquireSubscription('projector'))!;
        await stale.saveCheckpoint(2);
        await stale.release();
        const current = (await store.acquireSubscription('projector'))!;
        await current.saveCheckpoint(5);
        expect(isSubscriptionLost(await rejection(stale.saveCheckpoint(9)))).toBe(true);
        expect(isSubscriptionLost(await rejection(stale.transaction(9, async () => undefined)))).toBe(true);
        expect(await store.readCheckpoint('projector')).toBe(5);
        await current.release();
      });
    });
  });
  describeOperatorReadsConformance(adapter, factory, runner);
  describeFilteredReadsConformance(adapter, factory, runner);
  describeStreamRemovalConformance(adapter, factory, runner);
  describePersonalDataConformance(adapter, factory, runner);
  describeTimeTravelConformance(adapter, factory, runner);
  describeReplayWindowConformance(adapter, factory, runner);
}
