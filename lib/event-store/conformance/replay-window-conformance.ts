import { isSubscriptionLost } from '../../errors/subscription-lost.error.js';
import type { EventStore } from '../event-store.interface.js';
import type { SubscriptionLease } from '../subscription-lease.interface.js';
import { rejection, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

/**
 * What a subscription remembers across resets, on every adapter: how far it had got before them,
 * so that the events it delivers again are known as replays, by this owner and every later one.
 */
export function describeReplayWindowConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`EventStore replay windows: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });
    afterEach(() => dispose());

    /** The lease of `name` once its current holder let go: a new owner, as after a restart. */
    const takeOver = async (lease: SubscriptionLease) => {
      await lease.release();
      return (await store.acquireSubscription(lease.name))!;
    };

    it('remembers, with the reset, the furthest position reached before it, finished positions included', async () => {
      const lease = (await store.acquireSubscription('replayed'))!;
      expect(lease.granted.progress.replay).toBeUndefined();
      await lease.saveProgress({ checkpoint: 8, finished: [10, 12] });
      expect(await lease.reset(3, async () => 'cleared')).toBe('cleared');
      expect(await lease.readProgress()).toEqual({ checkpoint: 3, finished: [], replay: { after: 3, upTo: 12 } });

      const next = await takeOver(lease);
      expect(next.granted.progress).toEqual({ checkpoint: 3, finished: [], replay: { after: 3, upTo: 12 } });
      expect(await next.readProgress()).toEqual(next.granted.progress);
      await next.release();
    });

    it('keeps the furthest position across resets, and starts the window where the last reset moved the checkpoint', async () => {
      let lease = (await store.acquireSubscription('replayed'))!;
      await lease.saveCheckpoint(20);
      await lease.reset(5, async () => undefined);
      await lease.saveCheckpoint(9);
      await lease.reset(0, async () => undefined);
      expect((await lease.readProgress()).replay).toEqual({ after: 0, upTo: 20 });
      lease = await takeOver(lease);
      await lease.saveCheckpoint(30);
      await lease.reset(25, async () => undefined);
      expect((await lease.readProgress()).replay).toEqual({ after: 25, upTo: 30 });
      await lease.release();
    });

    it('keeps no window when the reset fails or its lease is stale, and lists none as a subscription', async () => {
      const lease = (await store.acquireSubscription('replayed'))!;
      await lease.saveCheckpoint(6);
      await expect(lease.reset(0, async () => Promise.reject(new Error('before-reset failed')))).rejects.toThrow('before-reset failed');
      expect(await lease.readProgress()).toEqual({ checkpoint: 6, finished: [] });
      const current = await takeOver(lease);
      expect(isSubscriptionLost(await rejection(lease.reset(0, async () => undefined)))).toBe(true);
      expect(current.granted.progress).toEqual({ checkpoint: 6, finished: [] });
      await current.reset(2, async () => undefined);
      expect((await store.control.listControl()).map((state) => state.name)).toEqual(['replayed']);
      await current.release();
    });
  });
}
