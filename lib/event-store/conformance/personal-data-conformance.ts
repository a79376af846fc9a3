import { isInvalidEvent } from '../../errors/invalid-event.error.js';
import type { EventStore } from '../event-store.interface.js';
import { ANY } from '../expected-version.js';
import { FORGOTTEN, PERSONAL_DATA_KEY, type PersonalFields } from '../personal-fields.js';
import type { NewEvent, RecordedEvent } from '../recorded-event.js';
import type { SubjectKeys } from '../subject-keys.interface.js';
import { newEvent, rejection, type StoreFactory } from './conformance-events.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

const HOLDER = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** An event of `subject` whose `holder` field is personal data. */
const personalEvent = (subject: string, extra: Partial<PersonalFields> = {}): NewEvent =>
  newEvent({ accountId: subject, holder: HOLDER, balance: 10 }, { metadata: { [PERSONAL_DATA_KEY]: { subject, fields: ['holder'], ...extra } } });

const readAll = async (store: EventStore, filtered: boolean): Promise<RecordedEvent[]> => {
  const reader = store.openAllReader(0, filtered ? { eventTypes: ['Happened'] } : undefined);
  const all: RecordedEvent[] = [];
  do all.push(...(await reader.next(100)));
  while (!reader.atHead);
  return all;
};

/**
 * Personal data (crypto-shredding), on every adapter: fields named by an event's `$personal`
 * metadata are kept encrypted with their subject's key, read back decrypted through every read,
 * and read as the placeholder, never failing, once the subject is forgotten.
 */
export function describePersonalDataConformance(adapter: string, factory: StoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`EventStore personal data: ${adapter}`, () => {
    let store: EventStore;
    let keys: SubjectKeys;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      keys = store.subjectKeys!;
    });
    afterEach(() => dispose());

    const everyRead = async (streamId: string) => [
      ...(await store.readStream(streamId)),
      ...(await store.readStream(streamId, { direction: 'backward' })),
      ...(await readAll(store, false)).filter((e) => e.streamId === streamId),
      ...(await readAll(store, true)).filter((e) => e.streamId === streamId),
    ];

    it('has subject keys', async () => {
      expect(typeof keys?.keysFor).toBe('function');
    });

    it('gives personal fields back as written on every read, and in the append result', async () => {
      const result = await store.appendToStream('account-1', ANY, [personalEvent('acc-1'), newEvent({ plain: true })]);
      expect(result.events[0].data).toEqual({ accountId: 'acc-1', holder: HOLDER, balance: 10 });
      for (const event of (await everyRead('account-1')).filter((e) => e.streamVersion === 1)) {
        expect(event.data).toEqual({ accountId: 'acc-1', holder: HOLDER, balance: 10 });
        expect(event.metadata[PERSONAL_DATA_KEY]).toEqual({ subject: 'acc-1', fields: ['holder'] });
      }
      expect((await store.readStream('account-1'))[1].data).toEqual({ plain: true });
    });

    it("reads a forgotten subject's fields as the placeholder, marked forgotten, and leaves the rest and other subjects alone", async () => {
      await store.appendToStream('account-1', ANY, [personalEvent('acc-1'), personalEvent('acc-1', { placeholder: { name: '?' } })]);
      await store.appendToStream('account-2', ANY, [personalEvent('acc-2')]);
      expect(await keys.forget('acc-1')).toBe(true);
      const reads = await everyRead('account-1');
      expect(reads).toHaveLength(8);
      for (const event of reads) {
        const placeholder = event.streamVersion === 1 ? FORGOTTEN : { name: '?' };
        expect(event.data).toEqual({ accountId: 'acc-1', holder: placeholder, balance: 10 });
        expect(event.metadata[PERSONAL_DATA_KEY]).toMatchObject({ subject: 'acc-1', fields: ['holder'], forgotten: true });
      }
      for (const event of await everyRead('account-2')) expect(event.data.holder).toEqual(HOLDER);
    });

    it('forgets once, safely repeated, and never gives a forgotten subject a new key', async () => {
      await store.appendToStream('account-1', ANY, [personalEvent('acc-1')]);
      expect(await keys.isForgotten('acc-1')).toBe(false);
      const [first, again] = await Promise.all([keys.forget('acc-1'), keys.forget('acc-1')]);
      expect([first, again].filter(Boolean)).toHaveLength(1);
      expect(await keys.forget('acc-1')).toBe(false);
      expect(await keys.forget('never-seen')).toBe(false);
      expect(await keys.isForgotten('acc-1')).toBe(true);
      const written = await store.appendToStream('account-1', ANY, [personalEvent('acc-1')]);
      expect(written.events[0].data.holder).toBe(FORGOTTEN);
      const [, later] = await store.readStream('account-1');
      expect(later.data.holder).toBe(FORGOTTEN);
      expect(later.metadata[PERSONAL_DATA_KEY]).toMatchObject({ forgotten: true });
      expect((await keys.keysFor(['acc-1', 'never-seen'], true)).get('acc-1')).toBe(null);
    });

    it('ignores a forgotten mark on an event to append: only the store sets it', async () => {
      await store.appendToStream('account-1', ANY, [personalEvent('acc-1')]);
      const [read] = await store.readStream('account-1');
      const copy = {
        ...personalEvent('acc-1'),
        metadata: { [PERSONAL_DATA_KEY]: { ...(read.metadata[PERSONAL_DATA_KEY] as object), forgotten: true } },
      };
      await store.appendToStream('account-1', ANY, [copy]);
      const [, again] = await store.readStream('account-1');
      expect(again.data.holder).toEqual(HOLDER);
      expect(again.metadata[PERSONAL_DATA_KEY]).toEqual({ subject: 'acc-1', fields: ['holder'] });
    });

    it('ends concurrent first uses of a subject with one key', async () => {
      const found = await Promise.all(Array.from({ length: 8 }, () => keys.keysFor(['acc-9'], true)));
      const distinct = new Set(found.map((map) => map.get('acc-9')!.toString('hex')));
      expect(distinct.size).toBe(1);
      expect((await keys.keysFor(['acc-9', 'unknown'], false)).has('unknown')).toBe(false);
    });

    it('refuses a malformed personal entry with InvalidEventError and writes nothing', async () => {
      const bad = newEvent({ holder: HOLDER }, { metadata: { [PERSONAL_DATA_KEY]: { subject: '', fields: ['holder'] } } });
      expect(isInvalidEvent(await rejection(store.appendToStream('account-1', ANY, [bad])))).toBe(true);
      const noFields = newEvent({ holder: HOLDER }, { metadata: { [PERSONAL_DATA_KEY]: { subject: 'acc-1', fields: [] } } });
      expect(isInvalidEvent(await rejection(store.appendToStream('account-1', ANY, [noFields])))).toBe(true);
      expect(await store.streamVersion('account-1')).toBe(0);
    });
  });
}
