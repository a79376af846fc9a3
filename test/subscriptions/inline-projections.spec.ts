import { PGlite } from '@electric-sql/pglite';
import type { INestApplication } from '@nestjs/common';
import {
  CommandGateway,
  EmbeddedEventStore,
  type EventContext,
  EventStore,
  InMemoryEventStore,
  isConfigurationError,
  isInlineProjectionFailed,
  On,
  Projector,
  SubscriptionManager,
} from '../../lib/index.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';

/** Totals per counter, written in the append's transaction; refuses an increment of 13 after writing it. */
@Projector({ name: 'inline-totals', inline: true })
class InlineTotals {
  static table = '';

  @On(Incremented)
  async incremented(event: Incremented, context: EventContext) {
    await context.sql!.query(
      `INSERT INTO ${InlineTotals.table} (counter_id, total) VALUES ($1, $2)
       ON CONFLICT (counter_id) DO UPDATE SET total = ${InlineTotals.table}.total + $2`,
      [event.counterId, event.by],
    );
    if (event.by === 13) throw new Error('13 is not counted');
  }
}

// One PGlite database for the suite, a schema per test: starting PGlite costs seconds, a schema milliseconds.
let database: PGlite | undefined;
let schemas = 0;
afterAll(() => database?.close());

async function embedded(): Promise<SharedStore> {
  database ??= await PGlite.create();
  const schema = `inline_${++schemas}`;
  const store = new EmbeddedEventStore({ database, schema });
  await store.init();
  return { schema, open: async () => store, close: () => store.close() };
}

const SQL_STORES: Array<[string, () => Promise<SharedStore>]> = [SHARED_STORES.find(([adapter]) => adapter === 'postgres')!, ['embedded', embedded]];

describe.each(SQL_STORES)('inline projections: %s', (_adapter, open) => {
  let shared: SharedStore;
  let store: EventStore;
  let app: INestApplication;
  let gateway: CommandGateway;

  const totals = async () => {
    const { rows } = await store.sql!.query<{ counter_id: string; total: number }>(
      `SELECT counter_id, total FROM ${InlineTotals.table} ORDER BY counter_id`,
    );
    return Object.fromEntries(rows.map((row) => [row.counter_id, Number(row.total)]));
  };

  beforeEach(async () => {
    shared = await open();
    store = await shared.open();
    InlineTotals.table = `"${shared.schema}".inline_totals`;
    await store.sql!.query(`DROP TABLE IF EXISTS ${InlineTotals.table}`);
    await store.sql!.query(`CREATE TABLE ${InlineTotals.table} (counter_id text PRIMARY KEY, total integer NOT NULL)`);
    app = await createApp({ options: { eventStore: store }, aggregates: [Counter], providers: [InlineTotals] });
    gateway = app.get(CommandGateway);
  });
  afterEach(async () => {
    await app.close();
    await shared.close();
  });

  it('commits the read model with the events: a strong dispatch finds it written, with no subscription to wait for', async () => {
    await gateway.dispatch(new Increment('a', 2), { consistency: 'strong' });
    await gateway.dispatch(new Increment('a', 3), { consistency: 'strong' });
    await gateway.dispatch(new Increment('b', 1));
    expect(await totals()).toEqual({ a: 5, b: 1 });
    expect(app.get(SubscriptionManager).status('inline-totals')).toBeUndefined();
    expect(await store.control.readControl('inline-totals')).toBeUndefined();
  });

  it('rolls back with the events: a throwing inline projector fails the command and nothing is written', async () => {
    await gateway.dispatch(new Increment('c', 1));
    const error = await failure(gateway.dispatch(new Increment('c', 13), { commandId: 'unlucky' }));
    expect(isInlineProjectionFailed(error)).toBe(true);
    expect((error as Error).message).toContain("Inline projector 'inline-totals' failed on stream 'counter-c': 13 is not counted");
    expect(await totals()).toEqual({ c: 1 });
    expect(await store.streamVersion('counter-c')).toBe(1);
    expect(await store.readCommand('unlucky')).toBeUndefined();

    await gateway.dispatch(new Increment('c', 4));
    expect(await totals()).toEqual({ c: 5 });
  });
});

describe('inline projections on the memory store', () => {
  it('are refused at start with a ConfigurationError naming the projector and the fix', async () => {
    const error = await failure(createApp({ options: { eventStore: new InMemoryEventStore() }, aggregates: [Counter], providers: [InlineTotals] }));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('Inline projectors [inline-totals] need a SQL event store (postgres or embedded)');
    expect((error as Error).message).toContain('without `inline: true`');
  });

  it("refuse an append's in-transaction work, writing nothing", async () => {
    const store = new InMemoryEventStore();
    const event = { eventId: '3f1c0e52-0000-4000-8000-000000000001', eventType: 'Incremented', data: {} };
    const error = await failure(store.appendToStream('s', ANY, [event], { inTransaction: async () => undefined }));
    expect(isConfigurationError(error)).toBe(true);
    expect(await store.headPosition()).toBe(0);
  });
});
