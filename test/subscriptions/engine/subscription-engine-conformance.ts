import { EventHandler } from '../../../lib/decorators/event-handler.decorator.js';
import { On } from '../../../lib/decorators/on.decorator.js';
import { OnBatch } from '../../../lib/decorators/on-batch.decorator.js';
import { Projector } from '../../../lib/decorators/projector.decorator.js';
import type { HandlerSubscriptionOptions } from '../../../lib/decorators/subscription-options.js';
import type { EventStore } from '../../../lib/event-store/event-store.interface.js';
import type { BatchContext, BatchItem } from '../../../lib/subscriptions/batch-context.js';
import { ErrorDecision } from '../../../lib/subscriptions/error-decision.js';
import type { EventContext } from '../../../lib/subscriptions/event-context.js';
import { subscriptionDefinitionOf } from '../../../lib/subscriptions/subscription-definition.factory.js';
import { waitForHandler } from '../../../lib/testing/wait-for-handler.js';
import { eventually } from '../../harness/eventually.js';
import { type Delivery, recordingHandler } from '../fixtures/recording-handler.js';
import { addItems, ItemAdded, keepLeases, managerOn, stopAllManagers, uniqueName } from '../fixtures/subscription-fixtures.js';
import { byList, type EngineStore, type EngineStoreFactory, InFlight, itemRows, itemsOf } from './engine-fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const items = (deliveries: Delivery[]) => deliveries.map((d) => d.item);

/** Appends the lists' items interleaved (one append per item), so partitions have work at once. */
async function interleaved(store: EventStore, lists: Record<string, string[]>): Promise<number> {
  let head = 0;
  const longest = Math.max(...Object.values(lists).map((list) => list.length));
  for (let i = 0; i < longest; i++) {
    for (const [list, entries] of Object.entries(lists)) if (entries[i]) head = (await addItems(store, list, [entries[i]])).globalPosition;
  }
  return head;
}

/**
 * The subscription engine's behaviour on one adapter: parking, per-stream holds, retry and discard
 * of parked events, parallel partitions, batch handlers, onError decisions, and the durable record
 * of finished positions that keeps a takeover from redelivering finished events.
 */
export function describeSubscriptionEngine(adapter: string, factory: EngineStoreFactory): void {
  describe(`subscription engine: ${adapter}`, () => {
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

    it("'park' parks a poisoned event after its retries with what failed, and goes on", async () => {
      const name = uniqueName('park');
      const { deliveries, attempts, definition } = recordingHandler({ name, errorPolicy: 'park' }, (event) => {
        if (event.item === 'bad') throw new Error('cannot handle bad');
      });
      const manager = managerOn(store, { settings: { maxAttempts: 2 } });
      const head = (await addItems(store, 'a', ['a:0', 'bad', 'a:2'])).globalPosition;
      await manager.start([definition]);

      await waitForHandler(store, name, head);
      expect(items(deliveries)).toEqual(['a:0', 'a:2']);
      expect(attempts.filter((a) => a.item === 'bad')).toHaveLength(2);
      const [parked] = await manager.parked(name);
      expect(parked).toMatchObject({
        subscription: name,
        globalPosition: 2,
        streamId: 'list-a',
        streamVersion: 2,
        error: 'cannot handle bad',
        attempts: 2,
      });
      expect(parked.eventType).toBe('SubTestItemAdded');
      expect(parked.parkedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await manager.parkedCount(name)).toBe(1);
      expect(await store.parkedEvents.count(name)).toBe(1);
    });

    it("parkMode 'stream' holds the rest of the poisoned stream while other streams go on; a retry delivers it once, then the held events in order", async () => {
      const name = uniqueName('park-stream');
      let broken = true;
      const { deliveries, attempts, definition } = recordingHandler({ name, errorPolicy: 'park', parkMode: 'stream' }, (event) => {
        if (event.item === 'a:1' && broken) throw new Error('a:1 is poison');
      });
      const manager = managerOn(store, { settings: { maxAttempts: 1 } });
      const head = await interleaved(store, { a: itemsOf('a', 4), b: itemsOf('b', 4) });
      await manager.start([definition]);

      await waitForHandler(store, name, head);
      expect(byList(deliveries).get('a')).toEqual(['a:0']);
      expect(byList(deliveries).get('b')).toEqual(itemsOf('b', 4));
      const parked = await manager.parked(name);
      expect(parked.map((p) => [p.streamId, p.error, p.attempts])).toEqual([
        ['list-a', 'a:1 is poison', 1],
        ['list-a', undefined, 0],
        ['list-a', undefined, 0],
      ]);
      // A new event of the held stream is held too; one of another stream is delivered.
      const later = await interleaved(store, { a: ['a:4'], b: ['b:4'] });
      await waitForHandler(store, name, later);
      expect(await manager.parkedCount(name)).toBe(4);
      expect(byList(deliveries).get('b')).toEqual(itemsOf('b', 5));

      broken = false;
      expect(await manager.retryParked(name, [parked[0].globalPosition])).toBe(1);
      await eventually(async () => expect(await manager.parkedCount(name)).toBe(0));
      expect(byList(deliveries).get('a')).toEqual(itemsOf('a', 5));
      expect(attempts.filter((a) => a.item === 'a:1')).toHaveLength(2);
    });

    it('a parked event that fails its retry stays parked with one more attempt; discard removes it for good', async () => {
      const name = uniqueName('park-retry');
      const { deliveries, attempts, definition } = recordingHandler({ name, errorPolicy: 'park' }, (event) => {
        if (event.item.startsWith('bad')) throw new Error(`cannot handle ${event.item}`);
      });
      const manager = managerOn(store, { settings: { maxAttempts: 1 } });
      const head = (await addItems(store, 'a', ['bad-1', 'ok', 'bad-2'])).globalPosition;
      await manager.start([definition]);
      await waitForHandler(store, name, head);
      expect((await manager.parked(name)).map((p) => p.globalPosition)).toEqual([1, 3]);

      await manager.retryParked(name, [1]);
      await eventually(async () => expect((await manager.parked(name))[0]).toMatchObject({ globalPosition: 1, attempts: 2, retryRequested: false }));
      expect(attempts.filter((a) => a.item === 'bad-1')).toHaveLength(2);
      expect(await manager.parked(name, { after: 1 })).toMatchObject([{ globalPosition: 3, attempts: 1 }]);
      expect(await manager.parked(name, { limit: 1 })).toMatchObject([{ globalPosition: 1 }]);

      expect(await manager.discardParked(name, 'all')).toBe(2);
      expect(await manager.parkedCount(name)).toBe(0);
      expect(items(deliveries)).toEqual(['ok']);
    });

    it("discarding a stream's parked head releases the events held behind it, in order", async () => {
      const name = uniqueName('park-discard');
      const { deliveries, definition } = recordingHandler({ name, errorPolicy: 'park', parkMode: 'stream' }, (event) => {
        if (event.item === 'a:0') throw new Error('poison');
      });
      const manager = managerOn(store, { settings: { maxAttempts: 1 } });
      const head = (await addItems(store, 'a', itemsOf('a', 3))).globalPosition;
      await manager.start([definition]);
      await waitForHandler(store, name, head);
      expect(await manager.parkedCount(name)).toBe(3);

      expect(await manager.discardParked(name, [1])).toBe(1);
      await eventually(async () => expect(await manager.parkedCount(name)).toBe(0));
      expect(items(deliveries)).toEqual(['a:1', 'a:2']);
    });

    it('parallel partitions: several handlers run at once, each stream keeps its order, every event is handled once', async () => {
      const name = uniqueName('partitions');
      const inFlight = new InFlight();
      const { deliveries, definition } = recordingHandler({ name, concurrency: 4 }, () => inFlight.around(() => sleep(5)));
      const lists = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((list) => [list, itemsOf(list, 5)]));
      const head = await interleaved(store, lists);
      const manager = managerOn(store, { settings: { batchSize: 7 } });
      await manager.start([definition]);

      await waitForHandler(store, name, head, { timeout: 20_000 });
      expect(inFlight.max).toBeGreaterThan(1);
      expect(inFlight.max).toBeLessThanOrEqual(4);
      expect(Object.fromEntries(byList(deliveries))).toEqual(lists);
      expect(deliveries).toHaveLength(30);
    });

    it('partitionBy groups events of different streams into one ordered partition', async () => {
      const name = uniqueName('partition-by');
      const inFlight = new InFlight();
      const { deliveries, definition } = recordingHandler(
        { name, concurrency: 3, partitionBy: (event) => (event as ItemAdded).item.slice(0, 1) },
        () => inFlight.around(() => sleep(3)),
      );
      const head = await interleaved(store, { x1: ['p:1', 'q:1'], x2: ['p:2', 'q:2'], x3: ['p:3', 'q:3'] });
      await managerOn(store).start([definition]);
      await waitForHandler(store, name, head, { timeout: 20_000 });
      const order = items(deliveries);
      expect(order.filter((item) => item.startsWith('p'))).toEqual(['p:1', 'p:2', 'p:3']);
      expect(order.filter((item) => item.startsWith('q'))).toEqual(['q:1', 'q:2', 'q:3']);
    });

    it('records finished positions above the checkpoint, so a takeover redelivers only the unfinished event', async () => {
      const name = uniqueName('finished');
      const keeping = keepLeases(store);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = recordingHandler({ name, concurrency: 2 }, (event) => (event.item === 'a:0' ? held : undefined));
      const second = recordingHandler({ name, concurrency: 2 });
      const head = await interleaved(store, { a: ['a:0'], b: itemsOf('b', 4) });
      try {
        await managerOn(keeping).start([first.definition]);
        await eventually(() => expect(items(first.deliveries)).toEqual(itemsOf('b', 4)));
        const lease = keeping.granted[0];
        await eventually(async () => expect(await lease.readProgress()).toEqual({ checkpoint: 0, finished: [2, 3, 4, 5] }));

        // The owner loses its lock while a:0 is still running; another process takes over.
        await lease.release();
        await managerOn(store).start([second.definition]);
        await waitForHandler(store, name, head);
        expect(items(second.deliveries)).toEqual(['a:0']);
      } finally {
        release();
      }
      await eventually(() => expect(items(first.deliveries)).toContain('a:0'));
    });

    it('onError decides per failure: retry after a delay, skip, park or stop, over the static policy', async () => {
      const name = uniqueName('on-error');
      const attempts: string[] = [];
      const decisions: Array<[string, number]> = [];
      @EventHandler({ name, errorPolicy: 'stop' })
      class Decider {
        @On(ItemAdded)
        handle(event: ItemAdded): void {
          attempts.push(event.item);
          if (event.item === 'retry' && attempts.filter((a) => a === 'retry').length < 3) throw new Error('flaky');
          if (['skip', 'park', 'stop'].includes(event.item)) throw new Error(event.item);
        }
        onError(_error: Error, event: ItemAdded, context: EventContext, attempt: number) {
          decisions.push([`${event.item}@${context.globalPosition}`, attempt]);
          if (event.item === 'retry') return ErrorDecision.retry(5);
          if (event.item === 'skip') return ErrorDecision.skip;
          if (event.item === 'park') return ErrorDecision.park;
          return ErrorDecision.stop;
        }
      }
      const manager = managerOn(store);
      await addItems(store, 'a', ['retry', 'skip', 'park', 'fine', 'stop', 'never']);
      await manager.start([subscriptionDefinitionOf(new Decider())]);

      await eventually(() => expect(manager.status(name)?.state).toBe('stopped'));
      expect(attempts).toEqual(['retry', 'retry', 'retry', 'skip', 'park', 'fine', 'stop']);
      expect(decisions).toEqual([
        ['retry@1', 1],
        ['retry@1', 2],
        ['skip@2', 1],
        ['park@3', 1],
        ['stop@5', 1],
      ]);
      expect((await manager.parked(name)).map((p) => [p.globalPosition, p.error])).toEqual([[3, 'park']]);
      expect(await store.readCheckpoint(name)).toBe(4);
    });

    it('an @OnBatch handler receives whole pages of revived events with their contexts', async () => {
      const name = uniqueName('batch');
      const batches: Array<Array<[string, number]>> = [];
      @EventHandler({ name })
      class Batcher {
        @OnBatch(ItemAdded)
        take(events: Array<BatchItem<ItemAdded>>): void {
          batches.push(events.map(({ event, context }) => [event.item, context.globalPosition]));
        }
      }
      const head = (await addItems(store, 'a', itemsOf('a', 10))).globalPosition;
      await managerOn(store, { settings: { batchSize: 4 } }).start([subscriptionDefinitionOf(new Batcher())]);
      await waitForHandler(store, name, head);
      expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
      expect(batches.flat()).toEqual(itemsOf('a', 10).map((item, i) => [item, i + 1]));
    });

    it('a failing @OnBatch page is delivered again one event at a time under the error policy', async () => {
      const name = uniqueName('batch-fallback');
      const seen: string[][] = [];
      @EventHandler({ name, errorPolicy: 'skip' })
      class Batcher {
        @OnBatch(ItemAdded)
        take(events: Array<BatchItem<ItemAdded>>): void {
          if (events.some(({ event }) => event.item === 'bad')) throw new Error('bad in batch');
          seen.push(events.map(({ event }) => event.item));
        }
      }
      const head = (await addItems(store, 'a', ['a', 'bad', 'c'])).globalPosition;
      await managerOn(store).start([subscriptionDefinitionOf(new Batcher())]);
      await waitForHandler(store, name, head);
      expect(seen).toEqual([['a'], ['c']]);
    });

    if (adapter !== 'memory') describeTransactional(adapter, () => fixture);
  });
}

/** What only SQL adapters do: projector code in the checkpoint's transaction. */
function describeTransactional(adapter: string, current: () => EngineStore): void {
  it('a batch projector writes one statement per page in the checkpoint transaction; a throw rolls back the page, then events go one by one', async () => {
    const { store, items } = current();
    const name = uniqueName('batch-sql');
    const calls: number[] = [];
    @Projector({ name, errorPolicy: 'stop' })
    class Rows {
      @OnBatch(ItemAdded)
      async project(events: Array<BatchItem<ItemAdded>>, batch: BatchContext): Promise<void> {
        calls.push(events.length);
        const values = events.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2})`).join(', ');
        await batch.sql!.query(
          `INSERT INTO ${items} (position, item) VALUES ${values}`,
          events.flatMap(({ event, context }) => [context.globalPosition, event.item]),
        );
        if (events.some(({ event }) => event.item === 'bad')) throw new Error('bad row');
      }
    }
    const manager = managerOn(store, { settings: { batchSize: 5 } });
    await addItems(store, 'a', ['a:0', 'a:1', 'a:2', 'a:3', 'a:4', 'a:5', 'bad', 'a:7']);
    await manager.start([subscriptionDefinitionOf(new Rows())]);

    await eventually(() => expect(manager.status(name)?.state).toBe('stopped'));
    expect(calls).toEqual([5, 3, 1, 1]);
    expect(await itemRows(store, items!)).toEqual(['a:0', 'a:1', 'a:2', 'a:3', 'a:4', 'a:5'].map((item, i) => ({ position: i + 1, item })));
    expect(await store.readCheckpoint(name)).toBe(6);
  });

  it('a transactional projector with partitions commits each event once with its finished mark', async () => {
    const { store, items } = current();
    const name = uniqueName('partitions-sql');
    const inFlight = new InFlight();
    const options: HandlerSubscriptionOptions = { name, concurrency: 4 };
    @Projector(options)
    class Rows {
      @On(ItemAdded)
      project(event: ItemAdded, context: EventContext): Promise<unknown> {
        return inFlight.around(async () => {
          await context.sql!.query(`INSERT INTO ${items} (position, item) VALUES ($1, $2)`, [context.globalPosition, event.item]);
          await sleep(3);
        });
      }
    }
    const lists = Object.fromEntries(['a', 'b', 'c', 'd'].map((list) => [list, itemsOf(list, 4)]));
    const head = await interleaved(store, lists);
    await managerOn(store, { settings: { batchSize: 5 } }).start([subscriptionDefinitionOf(new Rows())]);
    await waitForHandler(store, name, head, { timeout: 20_000 });
    const rows = await itemRows(store, items!);
    expect(rows.map((row) => row.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    // PGlite has one connection, so the embedded store runs one transaction at a time.
    if (adapter === 'postgres') expect(inFlight.max).toBeGreaterThan(1);
  });
}
