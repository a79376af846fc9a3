import pg from 'pg';
import { DomainEvent, type EventContext, EventSerializer, InMemoryEventStore, On, Projector, SkipReplay } from '../../lib/index.js';
import { ProjectorScenario } from '../../lib/testing/index.js';
import { ProcessManagerDelivery } from '../../lib/process-managers/process-manager-delivery.js';
import { subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { TEST_DATABASE_URL, testSchema } from '../harness/postgres-schema.js';
import { append } from './fixtures/subscription-fixtures.js';
import { ORDER_REMINDERS, OrderPlaced, OrderReminders, OrdersPlaced } from '../process-managers/fixtures/reminder-process.js';
import { StoreDispatcher } from '../process-managers/fixtures/transfer-process.js';

@DomainEvent('TsItemAdded')
class ItemAdded {
  constructor(
    readonly listId: string,
    readonly item: string,
  ) {}
}

@DomainEvent('TsItemRemoved')
class ItemRemoved {
  constructor(
    readonly listId: string,
    readonly item: string,
  ) {}
}

@DomainEvent('TsUnrelated')
class Unrelated {}

@Projector({ name: 'ts-lists' })
class ListsProjector {
  readonly lists = new Map<string, string[]>();
  readonly contexts: EventContext[] = [];

  @On(ItemAdded)
  async added(event: ItemAdded, context: EventContext) {
    this.contexts.push(context);
    this.lists.set(event.listId, [...(this.lists.get(event.listId) ?? []), event.item]);
    await context.sql?.query('INSERT INTO lists (list_id, item, position) VALUES ($1, $2, $3)', [event.listId, event.item, context.globalPosition]);
  }

  @On(ItemRemoved)
  async removed(event: ItemRemoved, context: EventContext) {
    this.lists.set(
      event.listId,
      (this.lists.get(event.listId) ?? []).filter((item) => item !== event.item),
    );
    await context.sql?.query('DELETE FROM lists WHERE list_id = $1 AND item = $2', [event.listId, event.item]);
  }
}

/** Lists items, and tells the list's owner of each removal: that must not happen twice. */
@Projector({ name: 'ts-notified-lists' })
class NotifyingListsProjector {
  readonly contexts: EventContext[] = [];
  readonly items: string[] = [];
  readonly notified: string[] = [];

  @On(ItemAdded)
  added(event: ItemAdded, context: EventContext) {
    this.contexts.push(context);
    this.items.push(event.item);
  }

  @SkipReplay()
  @On(ItemRemoved)
  notify(event: ItemRemoved, context: EventContext) {
    this.contexts.push(context);
    this.notified.push(event.item);
  }
}

describe('ProjectorScenario', () => {
  it('feeds the given events to the @On methods in order, with full contexts, passing over the others', async () => {
    const projector = new ListsProjector();
    const scenario = await ProjectorScenario.for(projector).given(new ItemAdded('l1', 'milk'), new Unrelated(), new ItemAdded('l1', 'eggs'));
    await scenario.givenIn({ streamId: 'list-l1', correlationId: 'c-9', metadata: { user: 'ann' } }, new ItemRemoved('l1', 'milk'));
    await scenario.thenReadModel(() => expect(projector.lists.get('l1')).toEqual(['eggs']));
    expect(projector.contexts.map((c) => c.globalPosition)).toEqual([1, 3]);
    expect(projector.contexts[0]).toMatchObject({ eventType: 'TsItemAdded', streamId: 'scenario', streamVersion: 1, sql: undefined });
    expect(projector.contexts[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('delivers events as a reset replays them: flagged replaying, and passed over by @SkipReplay methods', async () => {
    const projector = new NotifyingListsProjector();
    const scenario = await ProjectorScenario.for(projector).givenReplayed(new ItemAdded('l3', 'milk'), new ItemRemoved('l3', 'milk'));
    await scenario.given(new ItemAdded('l3', 'tea'), new ItemRemoved('l3', 'tea'));
    expect(projector.contexts.map((c) => [c.globalPosition, c.replaying])).toEqual([
      [1, true],
      [3, false],
      [4, false],
    ]);
    expect(projector.items).toEqual(['milk', 'tea']);
    expect(projector.notified).toEqual(['tea']);
  });

  it('hands a transactional executor the test passes as context.sql', async () => {
    const schema = await testSchema('es_scen');
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema.name}"`);
      await client.query(`SET search_path TO "${schema.name}"`);
      await client.query('CREATE TABLE lists (list_id text, item text, position bigint)');
      await client.query('BEGIN');
      const sql = { query: (text: string, params?: unknown[]) => client.query(text, params) };
      await ProjectorScenario.for(new ListsProjector(), { sql }).given(
        new ItemAdded('l2', 'tea'),
        new ItemAdded('l2', 'jam'),
        new ItemRemoved('l2', 'tea'),
      );
      const { rows } = await client.query('SELECT list_id, item, position FROM lists');
      expect(rows).toEqual([{ list_id: 'l2', item: 'jam', position: '2' }]);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT * FROM lists')).rows).toEqual([]);
    } finally {
      await client.end();
      await schema.drop();
    }
  });
});

describe('ProcessManagerDelivery routing API', () => {
  const delivery = (store: InMemoryEventStore) =>
    new ProcessManagerDelivery(
      ORDER_REMINDERS,
      subscriptionDefinitionOf(OrderReminders).processManager!,
      store,
      new EventSerializer([OrderPlaced, OrdersPlaced]),
      new StoreDispatcher(store),
    );

  it('processIds lists the ids an event routes to; deliverTo runs the step for one of them only', async () => {
    const store = new InMemoryEventStore();
    const subject = delivery(store);
    const [bulk] = (await append(store, 'orders', [new OrdersPlaced(['x', 'y', 'x'], 'c1', 1000)])).events;
    const [single] = (await append(store, 'orders', [new OrderPlaced('z', 'c1', 1000)])).events;
    const [none] = (await append(store, 'orders', [new OrderPlaced('', 'c1', 1000)])).events;
    expect(subject.processIds(bulk)).toEqual(['x', 'y']);
    expect(subject.processIds(single)).toEqual(['z']);
    expect(subject.processIds(none)).toEqual([]);

    await subject.deliverTo(bulk, 'y');
    const [y] = await store.scheduledCommands.listScheduled(ORDER_REMINDERS);
    expect(y.processId).toBe('y');
    // 'y' handled the event already (its state is stamped with it): only 'x' runs now.
    await subject.deliver(bulk);
    const after = await store.scheduledCommands.listScheduled(ORDER_REMINDERS);
    expect(after.map((s) => s.processId).sort()).toEqual(['x', 'y']);
    expect(after.find((s) => s.processId === 'y')).toEqual(y);
    expect(new Set(after.map((s) => s.commandId)).size).toBe(2);
  });
});
