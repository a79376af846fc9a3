import { EventHandler } from '../../../lib/decorators/event-handler.decorator.js';
import { On } from '../../../lib/decorators/on.decorator.js';
import { OnBatch } from '../../../lib/decorators/on-batch.decorator.js';
import type { HandlerSubscriptionOptions } from '../../../lib/decorators/subscription-options.js';
import type { AllStreamReader, EventStore } from '../../../lib/event-store/event-store.interface.js';
import type { BatchItem } from '../../../lib/subscriptions/batch-context.js';
import { subscriptionDefinitionOf } from '../../../lib/subscriptions/subscription-definition.factory.js';
import { waitForHandler } from '../../../lib/testing/wait-for-handler.js';
import { recordingHandler } from '../fixtures/recording-handler.js';
import { addItems, append, ItemAdded, managerOn, NoteWritten, stopAllManagers, uniqueName } from '../fixtures/subscription-fixtures.js';
import type { EngineStore, EngineStoreFactory } from './engine-fixtures.js';

/** Appends `count` items to list `listId`, each followed by `notes` notes no item handler handles. */
async function itemsAmongNotes(store: EventStore, listId: string, count: number, notes: number): Promise<number> {
  let head = 0;
  for (let i = 0; i < count; i++) {
    await addItems(store, listId, [`${listId}:${i}`]);
    head = (
      await append(
        store,
        'notes',
        Array.from({ length: notes }, () => new NoteWritten('n')),
      )
    ).globalPosition;
  }
  return head;
}

/** Counts the pages read by readers opened on `store` whose filter includes `eventType`. */
function countReads(store: EventStore, eventType: string): { reads: () => number } {
  let reads = 0;
  const open = store.openAllReader.bind(store);
  store.openAllReader = (after, filter) => {
    const reader = open(after, filter);
    if (!filter?.eventTypes?.includes(eventType)) return reader;
    const next = reader.next.bind(reader);
    return Object.assign<AllStreamReader, Pick<AllStreamReader, 'next'>>(reader, {
      next: (max: number) => {
        reads++;
        return next(max);
      },
    });
  };
  return { reads: () => reads };
}

/** Counts the progress writes of every lease `store` hands out. */
function countLeaseWrites(store: EventStore): { writes: () => number } {
  let writes = 0;
  const acquire = store.acquireSubscription.bind(store);
  store.acquireSubscription = async (name, owner) => {
    const lease = await acquire(name, owner);
    if (!lease) return lease;
    for (const method of ['saveCheckpoint', 'saveProgress', 'transaction'] as const) {
      const original = (lease[method] as (...args: unknown[]) => Promise<unknown>).bind(lease);
      Object.assign(lease, { [method]: (...args: unknown[]) => (writes++, original(...args)) });
    }
    return lease;
  };
  return { writes: () => writes };
}

/** An `@OnBatch` handler of items: it records each item and the size of each batch. */
function batchRecorder(options: HandlerSubscriptionOptions) {
  const items: string[] = [];
  @EventHandler(options)
  class Batches {
    @OnBatch(ItemAdded)
    handle(batch: Array<BatchItem<ItemAdded>>) {
      items.push(...batch.map(({ event }) => event.item));
    }
  }
  return { items, definition: subscriptionDefinitionOf(new Batches()) };
}

/**
 * What a subscription reads on one adapter: only the events it handles, of its stream or category,
 * with its checkpoint moving over the rest once per page; from a position or a point in time; and
 * an idle subscription is not woken by appends it does not handle.
 */
export function describeFilteredSubscriptions(adapter: string, factory: EngineStoreFactory): void {
  describe(`subscriptions read what they handle: ${adapter}`, () => {
    let fixture: EngineStore;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await stopAllManagers();
      await fixture.dispose();
    });

    it('delivers only the handled events, and its checkpoint reaches the head over those it passed', async () => {
      const name = uniqueName('filtered');
      const { deliveries, definition } = recordingHandler({ name });
      const head = await itemsAmongNotes(store, 'a', 5, 3);
      await managerOn(store).start([definition]);
      await waitForHandler(store, name, head);
      expect(deliveries.map((d) => d.item)).toEqual(['a:0', 'a:1', 'a:2', 'a:3', 'a:4']);
      expect(deliveries.map((d) => d.position)).toEqual([1, 5, 9, 13, 17]);
    });

    it('writes one checkpoint per page, not one for the page and another for what the filter passed over', async () => {
      const name = uniqueName('one-write');
      const counted = countLeaseWrites(store);
      const { items, definition } = batchRecorder({ name });
      const head = await itemsAmongNotes(store, 'b', 40, 9);
      await managerOn(store, { settings: { batchSize: 10 } }).start([definition]);
      await waitForHandler(store, name, head);
      expect(items).toEqual(Array.from({ length: 40 }, (_, i) => `b:${i}`));
      // 40 items in pages of 10: four pages, each with one write that also carries the checkpoint past the
      // notes between them, and one more past the notes after the last item.
      expect(counted.writes()).toBe(5);
    });

    it('follows one stream or a category of streams', async () => {
      const [one, category] = [uniqueName('one-stream'), uniqueName('category')];
      const oneStream = recordingHandler({ name: one, stream: 'list-x-2' });
      const byPrefix = recordingHandler({ name: category, streamPrefix: 'list-x-' });
      await addItems(store, 'x-1', ['x-1:0']);
      await addItems(store, 'y-1', ['y-1:0']);
      await addItems(store, 'x-2', ['x-2:0', 'x-2:1']);
      const head = (await addItems(store, 'y-2', ['y-2:0'])).globalPosition;
      await managerOn(store).start([oneStream.definition, byPrefix.definition]);
      await Promise.all([waitForHandler(store, one, head), waitForHandler(store, category, head)]);
      expect(oneStream.deliveries.map((d) => d.item)).toEqual(['x-2:0', 'x-2:1']);
      expect(byPrefix.deliveries.map((d) => d.item)).toEqual(['x-1:0', 'x-2:0', 'x-2:1']);
    });

    it('starts after a global position, or at the first event recorded at or after a time', async () => {
      const [fromPosition, fromTime] = [uniqueName('from-position'), uniqueName('from-time')];
      const first = await addItems(store, 'c', ['c:0', 'c:1']);
      // The time to start from must be later than the first events were recorded, on the store's clock.
      while (Date.now() <= first.events[1].createdAt.getTime() + 1) await new Promise((resolve) => setImmediate(resolve));
      const second = await addItems(store, 'c', ['c:2']);
      const head = (await addItems(store, 'c', ['c:3'])).globalPosition;
      const byPosition = recordingHandler({ name: fromPosition, startFrom: 2 });
      const byTime = recordingHandler({ name: fromTime, startFrom: second.events[0].createdAt });
      await managerOn(store).start([byPosition.definition, byTime.definition]);
      await Promise.all([waitForHandler(store, fromPosition, head), waitForHandler(store, fromTime, head)]);
      expect(byPosition.deliveries.map((d) => d.item)).toEqual(['c:2', 'c:3']);
      expect(byTime.deliveries.map((d) => d.item)).toEqual(['c:2', 'c:3']);
    });

    it('resets to a point in time', async () => {
      const name = uniqueName('reset-time');
      const { deliveries, definition } = recordingHandler({ name });
      await addItems(store, 'd', ['d:0']);
      const later = await addItems(store, 'd', ['d:1', 'd:2']);
      const manager = managerOn(store);
      await manager.start([definition]);
      await waitForHandler(store, name, later.globalPosition);
      const state = await manager.reset(name, { to: new Date(later.events[0].createdAt.getTime() + 1) });
      expect(state.resetTo).toBeGreaterThanOrEqual(1);
      await waitForHandler(store, name, later.globalPosition);
      const head = (await addItems(store, 'd', ['d:3'])).globalPosition;
      await waitForHandler(store, name, head);
      expect(deliveries.map((d) => d.item).slice(0, 3)).toEqual(['d:0', 'd:1', 'd:2']);
      expect(deliveries.map((d) => d.item).slice(3)).not.toContain('d:0');
    });

    it('leaves an idle subscription asleep while a few appends it does not handle come, and wakes it for a page of them or one it handles', async () => {
      const [busy, idle] = [uniqueName('busy'), uniqueName('idle')];
      const items = recordingHandler({ name: busy });
      const notes: string[] = [];
      @EventHandler({ name: idle })
      class Notes {
        @On(NoteWritten)
        noted(event: NoteWritten) {
          notes.push(event.text);
        }
      }
      const counted = countReads(store, 'SubTestNoteWritten');
      const first = (await addItems(store, 'e', ['e:0'])).globalPosition;
      // Polls an hour apart: only wake-ups make a subscription read.
      await managerOn(store, { settings: { pollInterval: 3_600_000 } }).start([items.definition, subscriptionDefinitionOf(new Notes())]);
      await Promise.all([waitForHandler(store, busy, first), waitForHandler(store, idle, first)]);
      const settled = counted.reads();
      for (let i = 1; i <= 5; i++) await waitForHandler(store, busy, (await addItems(store, 'e', [`e:${i}`])).globalPosition);
      expect(counted.reads()).toBe(settled);
      // A page's worth of them does wake it, so its checkpoint keeps up with the head.
      const page = (
        await append(
          store,
          'list-e',
          Array.from({ length: 500 }, (_, i) => new ItemAdded('e', `e:page:${i}`)),
        )
      ).globalPosition;
      await waitForHandler(store, idle, page);
      const woken = (await append(store, 'notes', [new NoteWritten('wake')])).globalPosition;
      await waitForHandler(store, idle, woken);
      expect(notes).toEqual(['wake']);
    });
  });
}
