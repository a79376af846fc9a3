import type { INestApplication } from '@nestjs/common';
import { type EventStore, InMemoryEventStore, PostgresEventStore } from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, testSchema } from '../harness/postgres-schema.js';
import type { CommandDispatcher } from '../../lib/process-managers/command-dispatcher.interface.js';
import { subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { append, managerOn, stopAllManagers } from '../subscriptions/fixtures/subscription-fixtures.js';
import {
  Customer,
  goneCustomers,
  ORDER_REMINDERS,
  OrderClosed,
  OrderPaid,
  OrderPlaced,
  OrderReminders,
  OrdersPlaced,
  ReminderPostponed,
  RemindCustomer,
} from './fixtures/reminder-process.js';

const stores: Array<[string, () => Promise<{ store: EventStore; dispose: () => Promise<void> }>]> = [
  ['memory', async () => ({ store: new InMemoryEventStore(), dispose: async () => undefined })],
  [
    'postgres',
    async () => {
      const schema = await testSchema('es_sched');
      const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
      await store.init();
      return { store, dispose: () => store.close().then(() => schema.drop()) };
    },
  ],
];

const app = (store: EventStore) =>
  createApp({
    aggregates: [Customer],
    processManagers: [OrderReminders],
    options: { eventStore: store, subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 10, schedulePollInterval: 100 } },
  });

/** Orders the customer was reminded of, in order. */
const remindedOf = async (store: EventStore, customerId: string) =>
  (await store.readStream(`rm-customer-${customerId}`)).map((event) => event.data.orderId);

describe.each(stores)('scheduled commands of process managers (%s)', (_, factory) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  const apps: INestApplication[] = [];
  const start = async () => {
    const started = await app(store);
    apps.push(started);
    return started;
  };

  beforeEach(async () => {
    ({ store, dispose } = await factory());
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    await dispose();
  });

  it('fires a scheduled command once, with ids carried from the scheduling event, and forgets it', async () => {
    await start();
    const placed = await append(store, 'order-o1', [new OrderPlaced('o1', 'c1', 200)], { correlationId: 'conv-1' });
    await eventually(async () => expect(await remindedOf(store, 'c1')).toEqual(['o1']));
    await eventually(async () => expect(await store.scheduledCommands!.listScheduled(ORDER_REMINDERS)).toEqual([]));
    const [reminded] = await store.readStream('rm-customer-c1');
    expect(reminded.causationId).toBe(placed.events[0].eventId);
    expect(reminded.correlationId).toBe('conv-1');
    expect(await remindedOf(store, 'c1')).toEqual(['o1']);
  });

  it('fires once after the application restarts before the due time', async () => {
    const first = await start();
    const placed = await append(store, 'order-o2', [new OrderPlaced('o2', 'c2', 1500)]);
    await eventually(async () => expect(await store.readCheckpoint(ORDER_REMINDERS)).toBe(placed.globalPosition));
    expect((await store.scheduledCommands!.listScheduled(ORDER_REMINDERS)).map((s) => s.key)).toEqual(['reminder']);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    expect(await remindedOf(store, 'c2')).toEqual([]);

    await start();
    await eventually(async () => expect(await remindedOf(store, 'c2')).toEqual(['o2']));
    await eventually(async () => expect(await store.scheduledCommands!.listScheduled(ORDER_REMINDERS)).toEqual([]));
    expect(await remindedOf(store, 'c2')).toEqual(['o2']);
  });

  it('never fires a cancelled command, nor those of a stopped instance, and a replaced one fires at its new time only', async () => {
    await start();
    // Due in an hour, so that each is cancelled before it is due however slowly the machine runs.
    await append(store, 'order-paid', [new OrderPlaced('paid', 'c3', 3_600_000), new OrderPaid('paid')]);
    await append(store, 'order-closed', [new OrderPlaced('closed', 'c3', 3_600_000), new OrderClosed('closed')]);
    const moved = await append(store, 'order-moved', [new OrderPlaced('moved', 'c3', 3_600_000), new ReminderPostponed('moved', 400)]);
    await eventually(async () => expect(await store.readCheckpoint(ORDER_REMINDERS)).toBeGreaterThanOrEqual(moved.globalPosition));
    const left = await store.scheduledCommands!.listScheduled(ORDER_REMINDERS);
    expect(left.filter((scheduled) => scheduled.processId !== 'moved')).toEqual([]);
    await append(store, 'order-control', [new OrderPlaced('control', 'c3', 900)]);
    await eventually(async () => expect(await remindedOf(store, 'c3')).toEqual(['moved', 'control']));
    // A fired command is removed once its dispatch returns, a moment after its event is stored.
    await eventually(async () => expect(await store.scheduledCommands!.listScheduled(ORDER_REMINDERS)).toEqual([]));
    expect(await store.readSnapshot(`$pm-${ORDER_REMINDERS}-closed`)).toBeUndefined();
    expect((await store.readSnapshot(`$pm-${ORDER_REMINDERS}-paid`))?.data).toMatchObject({ customerId: 'c3' });
  });

  it('routes one event to several instances, each scheduling its own command', async () => {
    await start();
    await append(store, 'orders-bulk', [new OrdersPlaced(['b1', 'b2', 'b3'], 'c4', 100)]);
    await eventually(async () => expect((await remindedOf(store, 'c4')).sort()).toEqual(['b1', 'b2', 'b3']));
    for (const id of ['b1', 'b2', 'b3']) expect((await store.readSnapshot(`$pm-${ORDER_REMINDERS}-${id}`))?.data).toMatchObject({ customerId: 'c4' });
  });

  it("hands a failed scheduled command to onError: 'skip' gives it up, and the instance goes on", async () => {
    goneCustomers.add('c5');
    try {
      await start();
      await append(store, 'order-gone', [new OrderPlaced('gone', 'c5', 100), new OrderPlaced('control5', 'c6', 400)]);
      await eventually(async () => expect(await remindedOf(store, 'c6')).toEqual(['control5']));
      expect(await remindedOf(store, 'c5')).toEqual([]);
      await eventually(async () => expect(await store.scheduledCommands!.listScheduled(ORDER_REMINDERS)).toEqual([]));
      expect((await store.readSnapshot(`$pm-${ORDER_REMINDERS}-gone`))?.data).toMatchObject({ customerId: 'c5' });
    } finally {
      goneCustomers.delete('c5');
    }
  });
});

describe('one firing process per process manager', () => {
  afterEach(stopAllManagers);

  it('two applications on one store: the command is sent once, by the one holding the scheduler lease', async () => {
    const store = new InMemoryEventStore();
    const sent: Array<{ node: string; command: object; commandId?: string }> = [];
    const dispatcher = (node: string): CommandDispatcher => ({
      dispatch: async (command, options) => {
        sent.push({ node, command, commandId: options.commandId });
      },
    });
    const definition = () => subscriptionDefinitionOf(OrderReminders);
    await managerOn(store, { dispatcher: dispatcher('a') }).start([definition()]);
    await managerOn(store, { dispatcher: dispatcher('b') }).start([definition()]);
    const placed = await append(store, 'orders', [new OrderPlaced('o1', 'c1', 100), new OrderPlaced('o2', 'c1', 300)]);
    await waitForHandler(store, ORDER_REMINDERS, placed.globalPosition);
    await eventually(async () => expect(await store.scheduledCommands.listScheduled(ORDER_REMINDERS)).toEqual([]));
    expect(sent.map((s) => s.command)).toEqual([new RemindCustomer('c1', 'o1'), new RemindCustomer('c1', 'o2')]);
    expect(new Set(sent.map((s) => s.node)).size).toBe(1);
    expect(new Set(sent.map((s) => s.commandId)).size).toBe(2);
  });
});
