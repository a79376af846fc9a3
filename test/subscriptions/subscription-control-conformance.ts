import { randomUUID } from 'node:crypto';
import { isInvalidControlRequest } from '../../lib/errors/invalid-control-request.error.js';
import { isInvalidIdentifier } from '../../lib/errors/invalid-identifier.error.js';
import { isSubscriptionLost } from '../../lib/errors/subscription-lost.error.js';
import { isUnknownSubscription } from '../../lib/errors/unknown-subscription.error.js';
import type { EventStore } from '../../lib/event-store/event-store.interface.js';
import { LocalPubSub } from '../../lib/pubsub/local/local-pubsub.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { type CountModel, countingProjector, foldCounts } from './fixtures/counting-projector.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

/** A fresh store for one test, a second handle on the same data, and a read model beside it. */
export interface ControlFixture {
  store: EventStore;
  /**
   * What another module instance sees: a second store on the same schema where the adapter allows
   * several processes (PostgreSQL), else the same store.
   */
  peer: EventStore;
  model: CountModel;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

/**
 * Operating subscriptions (reset, restart, pause, resume, `@BeforeReset`, progress) on one adapter.
 * Requests are made by a second manager on `peer` with a pubsub of its own, so the owner can only
 * learn of them from the store: the polling path every deployment relies on when a message is lost.
 */
export function describeSubscriptionControl(adapter: string, factory: () => Promise<ControlFixture>): void {
  describe(`Subscription control: ${adapter}`, () => {
    let fixture: ControlFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await stopAllManagers();
      await fixture.dispose();
    });

    /** Runs a counting projector on `store` as node `owner`; requests go through another manager on `peer`. */
    const owned = async (behaviour: Parameters<typeof countingProjector>[2] = {}, batchSize = 500) => {
      const name = uniqueName('counts');
      const owner = `owner-${randomUUID().slice(0, 6)}`;
      const projector = countingProjector(name, fixture.model, behaviour);
      const manager = managerOn(store, { pubsub: new LocalPubSub(owner), settings: { batchSize } });
      await manager.start([projector.definition]);
      const operator = managerOn(fixture.peer);
      return { name, manager, operator, owner, ...projector };
    };

    it('a reset to origin during live appends ends with a read model equal to a fold of the store', async () => {
      const { name, operator, resets } = await owned();
      let appending = true;
      const appender = (async () => {
        for (let i = 0; appending || i < 30; i++) {
          await addItems(store, `l${i % 3}`, [`item-${i}`, `more-${i}`]);
          await sleep(5);
        }
      })();
      await eventually(async () => expect(await store.readCheckpoint(name)).toBeGreaterThan(6));
      const requested = await operator.reset(name, { to: 'origin' });
      expect(requested.resetTo).toBe(0);
      appending = false;
      await appender;

      await eventually(async () => expect((await store.control.readControl(name))?.resetTo).toBeNull());
      await waitForHandler(store, name, await store.headPosition(), { timeout: 15_000 });
      expect(resets).toEqual([0]);
      expect(await fixture.model.counts()).toEqual(await foldCounts(store));
    });

    it('fences a stale owner: after a reset its checkpoint and transactional writes are refused', async () => {
      const name = uniqueName('stale');
      await addItems(store, 'x', ['a', 'b', 'c']);
      const stale = (await store.acquireSubscription(name, 'node-a'))!;
      await stale.saveCheckpoint(2);
      await fixture.peer.control.requestReset(name, 'origin');

      const refused = await rejection(stale.transaction(3, (sql) => fixture.model.add('x', { sql })));
      expect(isSubscriptionLost(refused)).toBe(true);
      expect(stale.lost).toBe(true);
      expect(await rejection(stale.saveCheckpoint(3))).toBeInstanceOf(Error);
      expect(await store.readCheckpoint(name)).toBe(2);
      if (fixture.model.transactional) expect(await fixture.model.counts()).toEqual({});
      expect(await store.control.readControl(name)).toMatchObject({ position: 2, resetTo: 0, owner: 'node-a' });
      await stale.release();
    });

    it('pause from another instance stops delivery on the owner; resume continues from where it was', async () => {
      const { name, manager, operator, owner } = await owned();
      await addItems(store, 'p', ['1', '2', '3']);
      await waitForHandler(store, name, 3);
      expect(await operator.readControl(name)).toMatchObject({ owner, paused: false, position: 3 });

      expect(await operator.pause(name)).toMatchObject({ paused: true });
      await eventually(() => expect(manager.status(name)?.state).toBe('paused'));
      await addItems(store, 'p', ['4', '5', '6']);
      await sleep(500); // five owner polls: a running owner would have delivered by now
      expect(await store.readCheckpoint(name)).toBe(3);
      expect(await fixture.model.counts()).toEqual({ p: 3 });

      await operator.resume(name);
      await waitForHandler(store, name, 6);
      expect(manager.status(name)?.state).toBe('running');
      expect(await fixture.model.counts()).toEqual({ p: 6 });
    });

    it('keeps a pause across restarts: a new owner does not deliver until resumed', async () => {
      const first = await owned();
      await addItems(store, 'r', ['1']);
      await waitForHandler(store, first.name, 1);
      await first.operator.pause(first.name);
      await eventually(() => expect(first.manager.status(first.name)?.state).toBe('paused'));
      await first.manager.stop();
      expect((await store.control.readControl(first.name))?.owner).toBeNull();

      const again = managerOn(store, { pubsub: new LocalPubSub('second-owner') });
      await again.start([countingProjector(first.name, fixture.model).definition]);
      await eventually(() => expect(again.status(first.name)?.state).toBe('paused'));
      expect((await store.control.readControl(first.name))?.owner).toBe('second-owner');
      await addItems(store, 'r', ['2']);
      await sleep(300);
      expect(await store.readCheckpoint(first.name)).toBe(1);

      await again.resume(first.name);
      await waitForHandler(store, first.name, 2);
      expect(await fixture.model.counts()).toEqual({ r: 2 });
    });

    it('restarts a subscription halted by its error policy, from another instance, without a process restart', async () => {
      let failures = 0;
      const { name, manager, operator } = await owned({
        errorPolicy: 'stop',
        before: (event) => {
          if (event.item === 'bad' && failures++ === 0) throw new Error('bad item');
        },
      });
      await addItems(store, 'h', ['good', 'bad', 'after']);
      await eventually(() => expect(manager.status(name)?.state).toBe('stopped'));
      expect(await store.readCheckpoint(name)).toBe(1);

      await operator.restart(name);
      await waitForHandler(store, name, 3);
      expect(manager.status(name)?.state).toBe('running');
      expect(await fixture.model.counts()).toEqual({ h: 3 });
    });

    it('a failing @BeforeReset leaves checkpoint and read model unchanged; a restart carries the reset out', async () => {
      let fail = true;
      const { name, manager, operator, resets } = await owned({ failReset: () => fail });
      await addItems(store, 'b', ['1', '2', '3']);
      await waitForHandler(store, name, 3);

      await operator.reset(name, { to: 'origin' });
      await eventually(() =>
        expect(manager.status(name)).toMatchObject({ state: 'stopped', lastError: { message: 'cannot clear the read model', position: 0 } }),
      );
      expect(await store.control.readControl(name)).toMatchObject({ position: 3, resetTo: 0 });
      expect(await fixture.model.counts()).toEqual({ b: 3 });

      fail = false;
      await operator.restart(name);
      await eventually(async () => expect(await store.control.readControl(name)).toMatchObject({ resetTo: null, position: 3 }));
      expect(resets).toEqual([0]);
      expect(await fixture.model.counts()).toEqual({ b: 3 });
    });

    it("a reset to 'current' moves the checkpoint to the head without delivering the past again", async () => {
      const { name, operator, resets } = await owned();
      await addItems(store, 'c', ['1', '2']);
      await waitForHandler(store, name, 2);
      expect(await operator.reset(name, { to: 'current' })).toMatchObject({ resetTo: 2 });
      await eventually(async () => expect((await store.control.readControl(name))?.resetTo).toBeNull());
      await addItems(store, 'c', ['3']);
      await waitForHandler(store, name, 3);
      expect(resets).toEqual([2]);
      expect(await fixture.model.counts()).toEqual({ c: 1 });
    });

    it('reports progress: position, head, rate and an ETA consistent with them', async () => {
      // Small pages: a transactional projector commits a page at a time.
      const { name, operator } = await owned({ before: () => sleep(4) }, 5);
      for (let i = 0; i < 8; i++)
        await addItems(
          store,
          'g',
          Array.from({ length: 25 }, (_, j) => `${i}-${j}`),
        );
      const midway = await eventually(
        async () => {
          const progress = await operator.progress(name);
          expect(progress.position).toBeGreaterThan(0);
          expect(progress.position).toBeLessThan(progress.head);
          expect(progress.eventsPerSecond).toBeGreaterThan(0);
          return progress;
        },
        { interval: 20, timeout: 20_000 },
      );
      expect(midway).toMatchObject({ name, head: 200, behind: 200 - midway.position });
      expect(midway.etaSeconds).toBeCloseTo(midway.behind / midway.eventsPerSecond!, 6);

      await waitForHandler(store, name, 200, { timeout: 20_000 });
      expect(await operator.progress(name)).toMatchObject({ position: 200, head: 200, behind: 0, etaSeconds: 0 });
    });

    it('refuses bad requests with typed errors and writes nothing', async () => {
      const { name, operator } = await owned();
      await addItems(store, 'z', ['1']);
      await waitForHandler(store, name, 1);
      const before = await store.control.readControl(name);

      for (const request of [
        operator.reset('no-such-subscription'),
        operator.pause('no-such-subscription'),
        operator.resume('no-such-subscription'),
        operator.restart('no-such-subscription'),
        operator.progress('no-such-subscription'),
        store.control.requestReset('no-such-subscription', 'origin'),
      ]) {
        expect(isUnknownSubscription(await rejection(request))).toBe(true);
      }
      for (const to of [-1, 1.5, Number.NaN, 2, 'latest']) {
        const error = await rejection(operator.reset(name, { to: to as number }));
        expect(isInvalidControlRequest(error)).toBe(true);
      }
      expect(isInvalidControlRequest(await rejection(store.control.setPaused(name, 'yes' as unknown as boolean)))).toBe(true);
      expect(isInvalidIdentifier(await rejection(operator.pause('')))).toBe(true);
      expect(await store.control.readControl(name)).toEqual(before);
      expect(await operator.readControl('no-such-subscription')).toBeUndefined();
      expect((await operator.listControl()).map((state) => state.name)).toEqual([name]);
    });
  });
}
