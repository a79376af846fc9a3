import { isInvalidOptions } from '../../errors/invalid-options.error.js';
import type { AllStreamFilter } from '../all-stream-filter.js';
import type { AllStreamReader, EventStore } from '../event-store.interface.js';
import { ANY } from '../expected-version.js';
import type { RecordedEvent } from '../recorded-event.js';
import { newEvent, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

const positions = (events: RecordedEvent[]) => events.map((e) => e.globalPosition);

/** Reads until the reader says it is at the head, page by page, as a subscription does. */
async function readToHead(reader: AllStreamReader, pageSize: number): Promise<{ events: RecordedEvent[]; pages: number }> {
  const events: RecordedEvent[] = [];
  let pages = 0;
  do {
    events.push(...(await reader.next(pageSize)));
    pages++;
  } while (!reader.atHead);
  return { events, pages };
}

/**
 * Readers of all streams with a filter, on every adapter: the store returns only what passes, in
 * global order, and the reader's position records how far it looked, past what it passed over.
 */
export function describeFilteredReadsConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`EventStore filtered reads: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      // 60 events over 3 streams of 2 categories; type T{n % 3}: every third event is a T0.
      for (let n = 0; n < 60; n++) {
        const streamId = ['order-1', 'order-2', 'customer-1'][n % 3 === 0 ? n % 2 : 2];
        await store.appendToStream(streamId, ANY, [newEvent({ n }, { eventType: `T${n % 3}` })]);
      }
    });
    afterEach(() => dispose());

    const expected = (pass: (n: number, streamId: string) => boolean) =>
      Array.from({ length: 60 }, (_, n) => n)
        .filter((n) => pass(n, ['order-1', 'order-2', 'customer-1'][n % 3 === 0 ? n % 2 : 2]))
        .map((n) => n + 1);

    it('returns only the events of the given types, in global order, and looks on to the head', async () => {
      const reader = store.openAllReader(0, { eventTypes: ['T0'] });
      const { events } = await readToHead(reader, 1000);
      expect(positions(events)).toEqual(expected((n) => n % 3 === 0));
      expect(events.every((e) => e.eventType === 'T0')).toBe(true);
      expect(reader.position).toBe(60);
      expect(await reader.next(1000)).toEqual([]);
      expect(reader.atHead).toBe(true);
    });

    it('stops a full page at its last event, and the next page goes on from there', async () => {
      const reader = store.openAllReader(0, { eventTypes: ['T1', 'T2'] });
      const first = await reader.next(5);
      expect(positions(first)).toEqual([2, 3, 5, 6, 8]);
      expect(reader.position).toBe(8);
      expect(reader.atHead).toBe(false);
      const rest = await readToHead(reader, 7);
      expect(positions([...first, ...rest.events])).toEqual(expected((n) => n % 3 !== 0));
    });

    it('follows one stream, or a category of streams, with or without types', async () => {
      const cases: Array<[AllStreamFilter, (n: number, streamId: string) => boolean]> = [
        [{ streamId: 'order-2' }, (_, s) => s === 'order-2'],
        [{ streamPrefix: 'order-' }, (_, s) => s.startsWith('order-')],
        [{ streamPrefix: 'customer-', eventTypes: ['T1'] }, (n, s) => s === 'customer-1' && n % 3 === 1],
        [{ streamId: 'order-' }, () => false],
      ];
      for (const [filter, pass] of cases) {
        const { events } = await readToHead(store.openAllReader(0, filter), 4);
        expect(positions(events)).toEqual(expected(pass));
      }
    });

    it('reads on from a position, and looks over what is appended later that it does not want', async () => {
      const reader = store.openAllReader(30, { eventTypes: ['T0'] });
      expect(positions((await readToHead(reader, 100)).events)).toEqual(expected((n) => n % 3 === 0 && n + 1 > 30));
      await store.appendToStream('customer-1', ANY, [newEvent({}, { eventType: 'T1' }), newEvent({}, { eventType: 'T2' })]);
      expect((await readToHead(reader, 100)).events).toEqual([]);
      expect(reader.position).toBe(62);
      const wanted = await store.appendToStream('order-9', ANY, [newEvent({}, { eventType: 'T0' })]);
      expect(positions((await readToHead(reader, 100)).events)).toEqual([wanted.globalPosition]);
    });

    it('matches nothing for an empty list of types, yet records how far it looked', async () => {
      const reader = store.openAllReader(0, { eventTypes: [] });
      expect((await readToHead(reader, 100)).events).toEqual([]);
      expect(reader.position).toBe(60);
    });

    it('refuses a malformed filter before reading', async () => {
      const bad = [{ streamId: 'a', streamPrefix: 'a' }, { streamId: '' }, { eventTypes: 'T0' as unknown as string[] }];
      for (const filter of bad) {
        let error: unknown;
        try {
          store.openAllReader(0, filter);
        } catch (thrown) {
          error = thrown;
        }
        expect(isInvalidOptions(error)).toBe(true);
      }
    });

    it('finds where a point in time falls among the events', async () => {
      const [first] = await store.readStream('order-1', { maxCount: 1 });
      expect(await store.positionBefore(new Date(first.createdAt.getTime() - 60_000))).toBe(0);
      expect(await store.positionBefore(new Date(Date.now() + 60_000))).toBe(60);
      const later = await store.appendToStream('order-1', ANY, [newEvent()]);
      // A stored time may be finer than a Date's milliseconds: `at` is at or just before it.
      const at = later.events[0].createdAt;
      expect(await store.positionBefore(at)).toBeLessThanOrEqual(later.globalPosition - 1);
      expect(await store.positionBefore(new Date(at.getTime() + 1))).toBe(later.globalPosition);
    });
  });
}
