import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CommandGateway, EventSourcingHealth, type EventStore, isShuttingDown } from '../../lib/index.js';
import { concurrency, type Counter, Increment } from '../fixtures/counter.js';
import { eventually } from '../harness/eventually.js';

/**
 * Where a registry runs a command: `every node` runs each command where it was sent (the store's
 * version check keeps nodes honest); `one owner` runs every command of an aggregate on the node
 * that owns it.
 */
export type Placement = 'every node' | 'one owner';

/** Two or more applications with the Counter aggregate on one shared store, all started. */
export interface RegistryNodes {
  apps: INestApplication[];
  store: EventStore;
  /** Index in `apps` of the node that runs commands of `streamId`, for `one owner` placement. */
  ownerOf?: (streamId: string) => number;
  /** Closes whatever is still open. */
  dispose: () => Promise<void>;
}

export type RegistryFactory = () => Promise<RegistryNodes>;

type Outcome = { aggregateVersion: number; aggregateState: Counter };

const send = (app: INestApplication, command: Increment) =>
  app.get(CommandGateway).dispatch<Outcome>(command, { returning: 'executionResult', timeout: 20_000 });
const stats = (app: INestApplication) => app.get(EventSourcingHealth).status().aggregates;
const counterId = () => `c-${randomUUID()}`;
const stored = async (store: EventStore, id: string) =>
  (await store.readStream(`counter-${id}`)).map((e) => ({ version: e.streamVersion, by: (e.data as { by: number }).by }));

/** Waits until `count` Counter commands are deciding right now (all nodes live in this process). */
const deciding = (count: number) => eventually(() => expect(concurrency.now).toBe(count));

/**
 * The semantics every Registry adapter must share: how many instances an aggregate has, that its
 * commands run one at a time, that a copy behind the store cannot write over it, and what a
 * stopping node does with the commands it accepted.
 */
export function describeRegistryConformance(adapter: string, placement: Placement, factory: RegistryFactory): void {
  describe(`Registry conformance: ${adapter}`, () => {
    let nodes: RegistryNodes;
    beforeEach(async () => {
      concurrency.max = 0;
      nodes = await factory();
    });
    afterEach(() => nodes?.dispose());

    it('runs the commands of one aggregate one at a time, each on the state the previous ones left, on one live instance', async () => {
      const id = counterId();
      const results = await Promise.all([1, 2, 3, 4, 5].map((by) => send(nodes.apps[0], new Increment(id, by, 20))));
      expect(concurrency.max).toBe(1);
      expect(results.map((r) => r.aggregateVersion).sort()).toEqual([1, 2, 3, 4, 5]);
      const events = await stored(nodes.store, id);
      expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
      const last = results.find((r) => r.aggregateVersion === 5)!.aggregateState;
      // Each command saw every earlier one applied, in the order they were stored.
      let sum = 0;
      expect(last.applied).toEqual(events.map((e) => (sum += e.by)));
      // One instance decided them all, rather than one loaded afresh per command.
      expect(last.handled).toBe(5);
    });

    if (placement === 'one owner') {
      it('runs every command of an aggregate on its one owner, whichever node it is sent to, without conflicts', async () => {
        const id = counterId();
        const before = nodes.apps.map(stats);
        const commands = nodes.apps.flatMap((app, n) => [1, 2, 3].map((i) => send(app, new Increment(id, 10 * n + i, 10))));
        const results = await Promise.all(commands);
        expect(concurrency.max).toBe(1);
        expect(results.map((r) => r.aggregateVersion).sort((a, b) => a - b)).toEqual(results.map((_, i) => i + 1));
        const ran = nodes.apps.map((app, n) => stats(app).executed - before[n].executed);
        const owner = nodes.ownerOf!(`counter-${id}`);
        expect(ran.map((count, n) => (n === owner ? count : 0))).toEqual(ran);
        expect(ran[owner]).toBe(commands.length);
        expect(nodes.apps.map((app, n) => stats(app).conflicts - before[n].conflicts)).toEqual(nodes.apps.map(() => 0));
        expect(results.find((r) => r.aggregateVersion === commands.length)!.aggregateState.handled).toBe(commands.length);
      });
    } else {
      it('runs each command where it is sent, and every node’s commands land once, in one gapless stream', async () => {
        const id = counterId();
        const before = nodes.apps.map(stats);
        const commands = nodes.apps.flatMap((app, n) => [1, 2, 3].map((i) => send(app, new Increment(id, 10 * n + i))));
        await Promise.all(commands);
        const events = await stored(nodes.store, id);
        expect(events.map((e) => e.version)).toEqual(commands.map((_, i) => i + 1));
        expect(events.map((e) => e.by).sort((a, b) => a - b)).toEqual(nodes.apps.flatMap((_, n) => [1, 2, 3].map((i) => 10 * n + i)));
        expect(nodes.apps.map((app, n) => stats(app).executed - before[n].executed)).toEqual(nodes.apps.map(() => 3));
      });
    }

    it('fences a live instance the store has moved past: its append conflicts and the command runs again on the stored state', async () => {
      const id = counterId();
      const [sender] = nodes.apps;
      expect((await send(sender, new Increment(id, 1))).aggregateVersion).toBe(1);
      const holder = nodes.apps[nodes.ownerOf?.(`counter-${id}`) ?? 0];
      const conflictsBefore = stats(holder).conflicts;
      // Another writer (a node that took the aggregate over, say) appends behind the holder's back.
      await nodes.store.appendToStream(`counter-${id}`, 1, [{ eventId: randomUUID(), eventType: 'Incremented', data: { counterId: id, by: 1000 } }]);

      const result = await send(sender, new Increment(id, 100));
      expect(result.aggregateVersion).toBe(3);
      expect(result.aggregateState.value).toBe(1101);
      expect(await stored(nodes.store, id)).toEqual([
        { version: 1, by: 1 },
        { version: 2, by: 1000 },
        { version: 3, by: 100 },
      ]);
      expect(stats(holder).conflicts - conflictsBefore).toBe(1);
    });

    it('on stop, finishes the commands it accepted, refuses new ones, and the other nodes carry on from the stored state', async () => {
      const id = counterId();
      const index = nodes.ownerOf?.(`counter-${id}`) ?? 1;
      const stopping = nodes.apps[index];
      const other = nodes.apps[(index + 1) % nodes.apps.length];
      const accepted = [send(stopping, new Increment(id, 1, 300)), send(stopping, new Increment(id, 2))];
      await deciding(1);

      await stopping.close();
      expect((await Promise.all(accepted)).map((r) => r.aggregateVersion).sort()).toEqual([1, 2]);
      const refused = await send(stopping, new Increment(id, 50)).catch((error: unknown) => error);
      expect(isShuttingDown(refused)).toBe(true);

      const after = await send(other, new Increment(id, 4));
      expect(after.aggregateVersion).toBe(3);
      expect(after.aggregateState.value).toBe(7);
      expect((await stored(nodes.store, id)).map((e) => e.by)).toEqual([1, 2, 4]);
    });
  });
}
