import { isInvalidOptions } from '../../errors/invalid-options.error.js';
import { isWrongExpectedVersion } from '../../errors/wrong-expected-version.error.js';
import type { AllStreamReader, EventStore } from '../event-store.interface.js';
import { ANY, NO_STREAM, STREAM_EXISTS } from '../expected-version.js';
import type { RecordedEvent } from '../recorded-event.js';
import { STREAM_DELETED_TYPE } from '../stream-removal.js';
import { events, rejection, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

/** Reads until `count` events came back; a reader may need more than one call to pass a hole. */
async function readCount(reader: AllStreamReader, count: number): Promise<RecordedEvent[]> {
  const read: RecordedEvent[] = [];
  while (read.length < count) {
    const page = await reader.next(count - read.length);
    read.push(...page);
    if (!page.length) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return read;
}

const versionsOf = (read: RecordedEvent[]) => read.map((event) => [event.streamId, event.streamVersion]);

/** Deleting and truncating streams: tombstones, reserved versions, holes every reader passes over. */
export function describeStreamRemovalConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`EventStore stream removal: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });
    afterEach(() => dispose());

    const snapshotAt = (streamId: string, streamVersion: number) =>
      store.saveSnapshot({ streamId, streamVersion, snapshotType: 'Counter', snapshotVersion: 1, data: { n: streamVersion } });

    it('soft-deletes by appending the tombstone once: the version stays reserved and the events stay', async () => {
      await store.appendToStream('a', ANY, events(3));
      const deleted = await store.deleteStream('a');
      expect(deleted).toEqual({ streamId: 'a', version: 4, deleted: true, removed: 0, dryRun: false });
      expect(await store.deleteStream('a')).toEqual(deleted);
      const read = await store.readStream('a');
      expect(read.map((event) => event.eventType)).toEqual(['Happened', 'Happened', 'Happened', STREAM_DELETED_TYPE]);
      expect(read[3].data).toEqual({ streamId: 'a' });
      expect(await store.streamVersion('a')).toBe(4);
      expect((await store.listStreams({ limit: 5 })).streams[0]).toMatchObject({ streamId: 'a', version: 4, deleted: true });
    });

    it('hard-deletes: events before the tombstone and the snapshot leave the store, the tombstone and version stay', async () => {
      await store.appendToStream('a', ANY, events(3));
      await store.appendToStream('b', ANY, events(1));
      await snapshotAt('a', 3);
      const deleted = await store.deleteStream('a', { hard: true });
      expect(deleted).toEqual({ streamId: 'a', version: 4, deleted: true, removed: 3, removedVersions: { from: 1, to: 3 }, dryRun: false });
      expect(versionsOf(await store.readStream('a'))).toEqual([['a', 4]]);
      expect(await store.readSnapshot('a')).toBeUndefined();
      expect(await store.streamVersion('a')).toBe(4);
      await expect(store.appendToStream('a', 0, events(1))).rejects.toThrow(/expected version 0/);
      expect(versionsOf(await readCount(store.openAllReader(0), 2))).toEqual([
        ['b', 1],
        ['a', 4],
      ]);
    });

    it('a dry run reports what a deletion would remove and changes nothing', async () => {
      await store.appendToStream('a', ANY, events(2));
      expect(await store.deleteStream('a', { hard: true, dryRun: true })).toEqual({
        streamId: 'a',
        version: 3,
        deleted: true,
        removed: 2,
        removedVersions: { from: 1, to: 2 },
        dryRun: true,
      });
      expect(await store.streamVersion('a')).toBe(2);
      expect((await store.listStreams({ limit: 5 })).streams[0].deleted).toBe(false);
    });

    it('refuses to delete a stream with no events, and bad options, writing nothing', async () => {
      expect(isWrongExpectedVersion(await rejection(store.deleteStream('none')))).toBe(true);
      await store.appendToStream('a', ANY, events(1));
      expect(isInvalidOptions(await rejection(store.deleteStream('a', { hard: 'yes' } as never)))).toBe(true);
      expect(await store.streamVersion('a')).toBe(1);
    });

    it("refuses an append after the tombstone unless it names the tombstone's version, alone or grouped, writing nothing", async () => {
      await store.appendToStream('a', ANY, events(2));
      await store.deleteStream('a', { hard: true });
      const head = await store.headPosition();
      for (const expected of [ANY, STREAM_EXISTS]) {
        expect(await rejection(store.appendToStream('a', expected, events(1)))).toMatchObject({ code: 'STREAM_DELETED', streamId: 'a', version: 3 });
      }
      expect(isWrongExpectedVersion(await rejection(store.appendToStream('a', NO_STREAM, events(1))))).toBe(true);
      // On SQL stores, appends made while four are in flight commit as one group: each stream at most once, or one twice.
      const grouped = async (appends: Array<() => Promise<unknown>>) => {
        const inFlight = ['f1', 'f2', 'f3', 'f4'].map((streamId) => store.appendToStream(streamId, ANY, events(1)));
        const outcomes = await Promise.allSettled([...inFlight, ...appends.map((append) => append())]);
        return outcomes
          .slice(inFlight.length)
          .map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code?: string }).code : 'appended'));
      };
      expect(await grouped([() => store.appendToStream('a', ANY, events(1)), () => store.appendToStream('b', ANY, events(1))])).toEqual([
        'STREAM_DELETED',
        'appended',
      ]);
      expect(
        await grouped([
          () => store.appendToStream('a', STREAM_EXISTS, events(1)),
          () => store.appendToStream('a', ANY, events(1)),
          () => store.appendToStream('c', ANY, events(1)),
        ]),
      ).toEqual(['STREAM_DELETED', 'STREAM_DELETED', 'appended']);
      expect(versionsOf(await store.readStream('a'))).toEqual([['a', 3]]);
      expect(await store.headPosition()).toBe(head + 10);

      expect((await store.appendToStream('a', 3, events(1))).streamVersion).toBe(4);
      expect((await store.appendToStream('a', ANY, events(1))).streamVersion).toBe(5);
    });

    it('truncates before a version its snapshot covers, keeping the rest; refuses otherwise', async () => {
      await store.appendToStream('a', ANY, events(5));
      expect(isInvalidOptions(await rejection(store.truncateStream('a', 4)))).toBe(true);
      await snapshotAt('a', 2);
      expect(isInvalidOptions(await rejection(store.truncateStream('a', 4)))).toBe(true);
      expect(isInvalidOptions(await rejection(store.truncateStream('a', 6)))).toBe(true);
      expect(isInvalidOptions(await rejection(store.truncateStream('a', 0)))).toBe(true);
      expect((await store.readStream('a')).length).toBe(5);
      const planned = await store.truncateStream('a', 3, { dryRun: true });
      expect(planned).toEqual({ streamId: 'a', version: 5, deleted: false, removed: 2, removedVersions: { from: 1, to: 2 }, dryRun: true });
      expect((await store.readStream('a')).length).toBe(5);
      await snapshotAt('a', 4);
      expect(await store.truncateStream('a', 5)).toMatchObject({ removed: 4, removedVersions: { from: 1, to: 4 }, dryRun: false });
      expect(versionsOf(await store.readStream('a'))).toEqual([['a', 5]]);
      expect(await store.truncateStream('a', 5)).toMatchObject({ removed: 0 });
      expect((await store.appendToStream('a', 5, events(1))).streamVersion).toBe(6);
      expect(versionsOf(await store.readStream('a', { direction: 'backward', maxCount: 5 }))).toEqual([
        ['a', 6],
        ['a', 5],
      ]);
    });

    it('a reader behind a removal, filtered or not, passes its holes and gets every live event once, in order', async () => {
      for (let i = 0; i < 3; i++) {
        await store.appendToStream('gone', ANY, events(2));
        await store.appendToStream('kept', ANY, events(2));
      }
      const reader = store.openAllReader(0);
      const filtered = store.openAllReader(0, { streamPrefix: 'kep' });
      const before = await readCount(reader, 1);
      await store.deleteStream('gone', { hard: true });
      await store.appendToStream('kept', ANY, events(1));
      const after = await readCount(reader, 8);
      expect(versionsOf([...before, ...after])).toEqual([
        ['gone', 1],
        ...[1, 2].map((v) => ['kept', v]),
        ...[3, 4].map((v) => ['kept', v]),
        ...[5, 6].map((v) => ['kept', v]),
        ['gone', 7],
        ['kept', 7],
      ]);
      expect(versionsOf(await readCount(filtered, 7))).toEqual([1, 2, 3, 4, 5, 6, 7].map((v) => ['kept', v]));
      expect(await reader.next(10)).toEqual([]);
      expect(await store.headPosition()).toBe(after[after.length - 1].globalPosition);
    });
  });
}
