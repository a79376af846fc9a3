import { isDuplicateCommand } from '../../errors/duplicate-command.error.js';
import { isWrongExpectedVersion } from '../../errors/wrong-expected-version.error.js';
import type { CommandToRecord } from '../command-record.js';
import type { EventStore } from '../event-store.interface.js';
import { ANY, NO_STREAM } from '../expected-version.js';
import type { RecordedEvent } from '../recorded-event.js';
import { newEvent, rejection } from './conformance-events.js';
import { PERSONAL_DATA_KEY } from '../personal-fields.js';
import { type ConformanceRunner, globalRunner } from './conformance-runner.js';

/** A fresh, initialised, empty SQL store for one test, with its schema's name. */
export type SqlStoreFactory = () => Promise<{ store: EventStore; schema: string; dispose: () => Promise<void> }>;

/** Text that would break a statement built carelessly: quotes, backslashes, placeholders, escape-like runs. */
const AWKWARD = `it's "quoted" \\ back\\slash \\\\ E'x' $1 $2 ?? \\u0000 \\x41 '' ; -- 💸`;

/**
 * The append's `inTransaction` work, shared by the SQL adapters: the events and what the work writes
 * commit together or not at all, refusals are typed, and the data arrives exactly as given.
 */
export function describeAppendInTransactionConformance(adapter: string, factory: SqlStoreFactory, runner: ConformanceRunner = globalRunner()): void {
  const { describe, it, beforeEach, afterEach, expect } = runner;
  describe(`append with in-transaction work: ${adapter}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    let table: string;
    const command = (commandId: string): CommandToRecord => ({ commandId, commandType: 'Note', payloadHash: 'h' });
    /** Work writing one row per event, through the transaction it is given. */
    const noting = (seen: RecordedEvent[][] = []) => ({
      seen,
      work: async (sql: { query: (text: string, params?: unknown[]) => Promise<unknown> }, recorded: RecordedEvent[]) => {
        seen.push(recorded);
        for (const event of recorded) {
          await sql.query(`INSERT INTO ${table} (position, stream_id, text) VALUES ($1, $2, $3)`, [
            event.globalPosition,
            event.streamId,
            event.data.text,
          ]);
        }
      },
    });
    const notes = async () =>
      (
        await store.sql!.query<{ position: number; stream_id: string; text: string }>(
          `SELECT position::int AS position, stream_id, text FROM ${table} ORDER BY position`,
        )
      ).rows;

    beforeEach(async () => {
      let schema: string;
      ({ store, schema, dispose } = await factory());
      table = `"${schema}".notes`;
      await store.sql!.query(`CREATE TABLE ${table} (position bigint PRIMARY KEY, stream_id text NOT NULL, text text NOT NULL)`);
    });
    afterEach(() => dispose());

    it('hands the work personal fields as written, while the events table keeps them sealed', async () => {
      const { seen, work } = noting();
      const metadata = { [PERSONAL_DATA_KEY]: { subject: 'p-1', fields: ['text'] } };
      await store.appendToStream('s-personal', NO_STREAM, [newEvent({ text: 'Ada Lovelace' }, { metadata })], { inTransaction: work });
      expect(seen[0][0].data).toEqual({ text: 'Ada Lovelace' });
      expect(await notes()).toEqual([expect.objectContaining({ text: 'Ada Lovelace' })]);
      const { rows } = await store.sql!.query<{ data: string }>(`SELECT data::text AS data FROM ${table.replace('.notes', '.events')}`);
      expect(rows[0].data.includes('Ada Lovelace')).toBe(false);
    });

    it('commits the work with the events, handing it the recorded events; awkward text arrives exactly', async () => {
      const stream = `s-${AWKWARD}`;
      const { seen, work } = noting();
      const result = await store.appendToStream(stream, NO_STREAM, [newEvent({ text: AWKWARD }), newEvent({ text: 'second' })], {
        command: command(`c-${AWKWARD}`),
        inTransaction: work,
      });
      expect(seen).toEqual([result.events]);
      expect(result.events.map((e) => [e.streamVersion, e.globalPosition])).toEqual([
        [1, 1],
        [2, 2],
      ]);
      expect(await notes()).toEqual([
        { position: 1, stream_id: stream, text: AWKWARD },
        { position: 2, stream_id: stream, text: 'second' },
      ]);
      expect((await store.readStream(stream)).map((e) => e.data.text)).toEqual([AWKWARD, 'second']);
      expect(await store.readCommand(`c-${AWKWARD}`)).toMatchObject({ streamId: stream, firstVersion: 1, lastVersion: 2 });
    });

    it('refuses a wrong expected version with WrongExpectedVersionError, without running the work', async () => {
      await store.appendToStream('s-1', NO_STREAM, [newEvent({ text: 'a' })]);
      const { seen, work } = noting();
      const error = await rejection(store.appendToStream('s-1', NO_STREAM, [newEvent({ text: 'b' })], { inTransaction: work }));
      expect(isWrongExpectedVersion(error)).toBe(true);
      expect(seen).toEqual([]);
      expect(await store.streamVersion('s-1')).toBe(1);
    });

    it('refuses a recorded command id with DuplicateCommandError, writing nothing', async () => {
      await store.appendToStream('s-1', ANY, [newEvent({ text: 'a' })], { command: command('once') });
      const error = await rejection(
        store.appendToStream('s-2', ANY, [newEvent({ text: 'b' })], { command: command('once'), inTransaction: noting().work }),
      );
      expect(isDuplicateCommand(error)).toBe(true);
      expect(await store.streamVersion('s-2')).toBe(0);
      expect(await notes()).toEqual([]);
    });

    it('rolls the events and the command back with the work when it throws, passing its error on as is', async () => {
      const failure = new Error('projection bug');
      const error = await rejection(
        store.appendToStream('s-1', ANY, [newEvent({ text: 'a' })], {
          command: command('failed'),
          inTransaction: async (sql, recorded) => {
            await noting().work(sql, recorded);
            throw failure;
          },
        }),
      );
      expect(error).toBe(failure);
      expect(await notes()).toEqual([]);
      expect(await store.headPosition()).toBe(0);
      expect(await store.readCommand('failed')).toBeUndefined();
      await store.appendToStream('s-1', NO_STREAM, [newEvent({ text: 'again' })], { inTransaction: noting().work });
      expect((await notes()).map((note) => note.text)).toEqual(['again']);
    });
  });
}
