import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { isStoreUnavailable, NO_STREAM } from '../../lib/index.js';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';

const event = () => ({ eventId: randomUUID(), eventType: 'Noted', data: { at: Date.now() } });

describe('embedded store on a PGlite database it was given', () => {
  let database: PGlite;
  beforeAll(async () => {
    database = await PGlite.create();
  });
  afterAll(() => database.close());

  it('keeps stores in different schemas apart, and leaves the database open when it closes', async () => {
    const first = new EmbeddedEventStore({ database, schema: 'first' });
    const second = new EmbeddedEventStore({ database, schema: 'second' });
    await Promise.all([first.init(), second.init()]);
    await first.appendToStream('note-1', NO_STREAM, [event()]);
    expect(await first.headPosition()).toBe(1);
    expect(await second.readStream('note-1')).toEqual([]);

    await first.close();
    expect(database.closed).toBe(false);
    const afterClose = await first.headPosition().catch((error: unknown) => error);
    expect(isStoreUnavailable(afterClose)).toBe(true);
    await second.appendToStream('note-1', NO_STREAM, [event()]);
    expect(await second.headPosition()).toBe(1);
    await second.close();
  });
});
