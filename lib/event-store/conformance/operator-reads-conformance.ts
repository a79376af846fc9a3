import { isInvalidOptions } from '../../errors/invalid-options.error.js';
import type { EventStore } from '../event-store.interface.js';
import { ANY } from '../expected-version.js';
import type { ListStreamsOptions } from '../stream-summary.js';
import { newEvent, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

/** The read-only methods operators use (CLI, inspector), on every adapter. */
export function describeOperatorReadsConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`EventStore operator reads: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });
    afterEach(() => dispose());

    const appendTo = (streamId: string, count: number) =>
      store.appendToStream(
        streamId,
        ANY,
        Array.from({ length: count }, (_, i) => newEvent({ n: i })),
      );

    it('lists streams in id order with their version, last position and time, a page at a time', async () => {
      await appendTo('b-1', 2);
      await appendTo('a-1', 1);
      const last = await appendTo('b-1', 1);
      await appendTo('c-1', 3);
      const first = await store.listStreams({ limit: 2 });
      expect(first.streams.map((s) => [s.streamId, s.version])).toEqual([
        ['a-1', 1],
        ['b-1', 3],
      ]);
      expect(first.streams[1].lastPosition).toBe(last.globalPosition);
      expect(Object.prototype.toString.call(first.streams[1].updatedAt)).toBe('[object Date]');
      expect(first.next).toBe('b-1');
      const second = await store.listStreams({ limit: 2, after: first.next });
      expect(second.streams.map((s) => [s.streamId, s.version])).toEqual([['c-1', 3]]);
      expect(second.next).toBeUndefined();
      expect(await store.listStreams({ limit: 3 })).toEqual({ streams: expect.any(Array) });
    });

    it('lists only the streams starting with a prefix, paging inside them', async () => {
      for (const id of ['account-1', 'account-2', 'account-3', 'accounts', 'transfer-1', 'acc']) await appendTo(id, 1);
      const page = await store.listStreams({ prefix: 'account-', limit: 2 });
      expect(page.streams.map((s) => s.streamId)).toEqual(['account-1', 'account-2']);
      const rest = await store.listStreams({ prefix: 'account-', limit: 2, after: page.next });
      expect(rest.streams.map((s) => s.streamId)).toEqual(['account-3']);
      expect(rest.next).toBeUndefined();
      expect((await store.listStreams({ prefix: 'zzz', limit: 5 })).streams).toEqual([]);
    });

    it('refuses bad paging options with InvalidOptionsError naming each one', async () => {
      for (const options of [{ limit: 0 }, { limit: 1001 }, { limit: 1.5 }, { limit: 5, prefix: 'a\u0000' }, { limit: 5, after: 7 }]) {
        const error = await store.listStreams(options as ListStreamsOptions).catch((e: unknown) => e);
        expect(isInvalidOptions(error)).toBe(true);
      }
      await expect(store.listStreams({ limit: 0, prefix: 'a\u0000' })).rejects.toThrow(/'limit'.*'prefix'/);
    });

    it('lists subscriptions with their stored state, by name', async () => {
      expect(await store.control.listControl()).toEqual([]);
      const projector = (await store.acquireSubscription('projector'))!;
      const handler = (await store.acquireSubscription('handler'))!;
      await projector.saveCheckpoint(7);
      const listed = await store.control.listControl();
      expect(listed.map(({ name, position }) => [name, position])).toEqual([
        ['handler', 0],
        ['projector', 7],
      ]);
      expect(Number.isNaN(listed[1].updatedAt.getTime())).toBe(false);
      await projector.release();
      await handler.release();
    });

    it('lists recorded cluster members with their heartbeat age, and forgets one that left', async () => {
      const members = store.members!;
      await members.heartbeat({ name: 'node-b', host: '127.0.0.1', port: 4002, startedAt: 1000 }, 5000);
      await members.heartbeat({ name: 'node-a', host: '127.0.0.1', port: 4001, startedAt: 2000 }, 5000);
      const listed = await members.list!();
      expect(listed.map(({ name, port, startedAt }) => [name, port, startedAt])).toEqual([
        ['node-a', 4001, 2000],
        ['node-b', 4002, 1000],
      ]);
      for (const member of listed) expect(member.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
      await members.leave('node-a');
      expect((await members.list!()).map((m) => m.name)).toEqual(['node-b']);
    });
  });
}
