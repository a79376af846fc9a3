import { isInvalidIdentifier } from '../../errors/invalid-identifier.error.js';
import { isPayloadTooLarge } from '../../errors/payload-too-large.error.js';
import type { EventStore } from '../event-store.interface.js';
import type { ProcessStateChange, ScheduledCommand, ScheduledCommandStore } from '../scheduled-commands.interface.js';
import type { Snapshot } from '../recorded-event.js';
import { rejection, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

const PM = 'pm-conformance';
const at = (iso: string) => new Date(`2030-01-01T${iso}Z`);
const stream = (processId: string) => `$pm-${PM}-${processId}`;

const scheduled = (processId: string, key: string, due: string, extra: Partial<ScheduledCommand> = {}): ScheduledCommand => ({
  processManager: PM,
  processId,
  key,
  commandId: `${processId}-${key}-${due}`,
  commandType: 'RemindCustomer',
  command: { customerId: processId, text: `about ${key}` },
  dueAt: at(due),
  causationId: 'event-1',
  correlationId: 'conversation-1',
  metadata: { tenant: 'acme' },
  attempts: 0,
  ...extra,
});

const state = (processId: string, position: number, data: Snapshot['data'] = { step: position }): Snapshot => ({
  streamId: stream(processId),
  streamVersion: position,
  snapshotType: 'Reminders',
  snapshotVersion: 1,
  data,
});

const change = (processId: string, position: number, parts: Partial<ProcessStateChange> = {}): ProcessStateChange => ({
  processManager: PM,
  processId,
  stateStreamId: stream(processId),
  state: state(processId, position),
  schedule: [],
  cancel: [],
  ...parts,
});

/** What every store must do with process managers' scheduled commands. */
export function describeScheduledCommandsConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`scheduled commands conformance: ${adapter}`, () => {
    let store: EventStore;
    let table: ScheduledCommandStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      table = store.scheduledCommands!;
    });
    afterEach(() => dispose());

    it('keeps state and scheduled commands together; lists and finds due ones in due order, with every field', async () => {
      const late = scheduled('p1', 'late', '10:00:00');
      const early = scheduled('p2', 'early', '09:00:00', { causationId: undefined, correlationId: undefined, metadata: {} });
      await table.commitProcess(change('p1', 3, { schedule: [late] }));
      await table.commitProcess(change('p2', 4, { schedule: [early] }));
      expect((await store.readSnapshot(stream('p1')))?.data).toEqual({ step: 3 });
      const expectedEarly = { ...early };
      delete expectedEarly.causationId;
      delete expectedEarly.correlationId;
      expect(await table.listScheduled(PM)).toEqual([expectedEarly, late]);
      expect(await table.listScheduled(PM, 'p1')).toEqual([late]);
      expect(await table.listScheduled('another-pm')).toEqual([]);
      expect(await table.nextDueAt(PM)).toEqual(at('09:00:00'));
      expect(await table.dueCommands(PM, at('08:59:59'), 10)).toEqual([]);
      expect((await table.dueCommands(PM, at('09:00:00'), 10)).map((c) => c.key)).toEqual(['early']);
      expect((await table.dueCommands(PM, at('11:00:00'), 10)).map((c) => c.key)).toEqual(['early', 'late']);
      expect((await table.dueCommands(PM, at('11:00:00'), 1)).map((c) => c.key)).toEqual(['early']);
    });

    it('replaces a command scheduled again under the same key, and cancels by key', async () => {
      await table.commitProcess(change('p1', 1, { schedule: [scheduled('p1', 'a', '09:00:00'), scheduled('p1', 'b', '09:30:00')] }));
      const again = scheduled('p1', 'a', '12:00:00');
      await table.commitProcess(change('p1', 2, { schedule: [again], cancel: ['b'] }));
      expect(await table.listScheduled(PM, 'p1')).toEqual([again]);
      expect(await table.nextDueAt(PM)).toEqual(at('12:00:00'));
    });

    it('deletes the state and every pending command of an instance that ended, and only of that one', async () => {
      await table.commitProcess(change('p1', 1, { schedule: [scheduled('p1', 'a', '09:00:00'), scheduled('p1', 'b', '09:30:00')] }));
      await table.commitProcess(change('p2', 2, { schedule: [scheduled('p2', 'a', '09:00:00')] }));
      await table.commitProcess(change('p1', 3, { state: undefined }));
      expect(await store.readSnapshot(stream('p1'))).toBeUndefined();
      expect((await table.listScheduled(PM)).map((c) => c.processId)).toEqual(['p2']);
      expect(await store.readSnapshot(stream('p2'))).toBeDefined();
    });

    it('settles a fired command, or moves it with one more attempt; a replaced one is left alone', async () => {
      const first = scheduled('p1', 'a', '09:00:00');
      await table.commitProcess(change('p1', 1, { schedule: [first] }));
      await table.settleScheduled(first, at('09:05:00'));
      expect(await table.listScheduled(PM)).toEqual([{ ...first, dueAt: at('09:05:00'), attempts: 1 }]);
      const replacement = scheduled('p1', 'a', '10:00:00');
      await table.commitProcess(change('p1', 2, { schedule: [replacement] }));
      await table.settleScheduled(first);
      await table.settleScheduled(first, at('09:10:00'));
      expect(await table.listScheduled(PM)).toEqual([replacement]);
      await table.settleScheduled(replacement);
      expect(await table.listScheduled(PM)).toEqual([]);
      expect(await table.nextDueAt(PM)).toBeUndefined();
    });

    it('commits many instances stepping at once, each as if alone; a bad change fails only itself', async () => {
      const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
      await Promise.all(
        ids.map((id, i) => table.commitProcess(change(id, i + 1, i % 3 === 0 ? { schedule: [scheduled(id, 'k', '09:00:00')] } : {}))),
      );
      const outcomes = await Promise.allSettled([
        ...ids.map((id, i) => table.commitProcess(i % 2 === 0 ? change(id, 100 + i, { state: undefined }) : change(id, 100 + i))),
        table.commitProcess(change('c1', 500, { schedule: [scheduled('c1', '', '09:00:00')] })),
      ]);
      expect(outcomes.slice(0, -1).every((o) => o.status === 'fulfilled')).toBe(true);
      expect(outcomes.at(-1)).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'INVALID_IDENTIFIER' }) });
      for (const [i, id] of ids.entries()) {
        expect((await store.readSnapshot(stream(id)))?.streamVersion).toBe(i % 2 === 0 ? undefined : 100 + i);
      }
      // Only the ended instances lost their pending commands.
      expect((await table.listScheduled(PM)).map((c) => c.processId).sort()).toEqual(ids.filter((_, i) => i % 3 === 0 && i % 2 === 1).sort());
    });

    it('refuses bad input with a typed error and writes nothing of the change', async () => {
      await table.commitProcess(change('p1', 1, { schedule: [scheduled('p1', 'a', '09:00:00')] }));
      const before = await table.listScheduled(PM);
      const bad = [
        change('p1', 2, { schedule: [scheduled('p1', '', '09:00:00')] }),
        change('p1', 2, { cancel: ['a', 'bad\u0000key'] }),
        change('', 2),
        change('p1', 2, { schedule: [scheduled('p1', 'b', '09:00:00', { command: { text: 'x'.repeat(10_000) } })] }),
      ];
      const errors = await Promise.all(bad.map((c) => rejection(table.commitProcess(c))));
      expect(errors.slice(0, 3).every(isInvalidIdentifier)).toBe(true);
      expect(isPayloadTooLarge(errors[3])).toBe(true);
      expect(await table.listScheduled(PM)).toEqual(before);
      expect((await store.readSnapshot(stream('p1')))?.streamVersion).toBe(1);
    });
  });
}
