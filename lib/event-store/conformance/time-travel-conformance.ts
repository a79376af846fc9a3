import { isInvalidIdentifier } from '../../errors/invalid-identifier.error.js';
import { isInvalidOptions } from '../../errors/invalid-options.error.js';
import type { EventStore } from '../event-store.interface.js';
import { ANY } from '../expected-version.js';
import { events, rejection, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

/** Lets the store's clock move on, so the next append is recorded at a later millisecond. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 5));

const shifted = (time: Date, ms: number) => new Date(time.getTime() + ms);

/** Where a point in time falls in one stream (`streamVersionAt`), the base of loading an aggregate as it was then. */
export function describeTimeTravelConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`EventStore stream version at a time: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });
    afterEach(() => dispose());

    /** Appends one batch per count, each at a later millisecond; the times the store recorded, one per batch. */
    const appendApart = async (streamId: string, counts: number[]): Promise<Date[]> => {
      const times: Date[] = [];
      for (const count of counts) {
        await nextMillisecond();
        times.push((await store.appendToStream(streamId, ANY, events(count))).events[0].createdAt);
      }
      return times;
    };

    it('gives the last version recorded at or before a time, to the millisecond, on its own stream only', async () => {
      const [first, pair, last] = await appendApart('a', [1, 2, 1]);
      await appendApart('b', [1]);
      expect(first.getTime()).toBeLessThanOrEqual(pair.getTime() - 1);
      expect(pair.getTime()).toBeLessThanOrEqual(last.getTime() - 1);
      expect((await store.readStream('a')).map((event) => event.createdAt.getTime())).toEqual([first, pair, pair, last].map((t) => t.getTime()));
      expect(await store.streamVersionAt('a', shifted(first, -1))).toBe(0);
      expect(await store.streamVersionAt('a', first)).toBe(1);
      expect(await store.streamVersionAt('a', shifted(pair, -1))).toBe(1);
      expect(await store.streamVersionAt('a', pair)).toBe(3);
      expect(await store.streamVersionAt('a', last)).toBe(4);
      expect(await store.streamVersionAt('a', shifted(last, 3_600_000))).toBe(4);
      expect(await store.streamVersionAt('none', last)).toBe(0);
    });

    it('counts only the events still stored: not those a truncation removed, and the tombstone of a deletion', async () => {
      const [removed, kept] = await appendApart('a', [2, 1]);
      await store.saveSnapshot({ streamId: 'a', streamVersion: 2, snapshotType: 'Counter', snapshotVersion: 1, data: {} });
      await store.truncateStream('a', 3);
      expect(await store.streamVersionAt('a', removed)).toBe(0);
      expect(await store.streamVersionAt('a', kept)).toBe(3);
      await nextMillisecond();
      const { version } = await store.deleteStream('a');
      expect(await store.streamVersionAt('a', kept)).toBe(3);
      expect(await store.streamVersionAt('a', shifted(new Date(), 3_600_000))).toBe(version);
    });

    it('refuses an invalid time or stream id', async () => {
      await store.appendToStream('a', ANY, events(1));
      expect(isInvalidOptions(await rejection(store.streamVersionAt('a', new Date('not a time'))))).toBe(true);
      expect(isInvalidOptions(await rejection(store.streamVersionAt('a', '2026-01-01' as never)))).toBe(true);
      expect(isInvalidIdentifier(await rejection(store.streamVersionAt('', new Date())))).toBe(true);
    });
  });
}
