import {
  CommandGateway,
  type CommandMiddleware,
  EventSourcingShutdown,
  InMemoryEventStore,
  isShuttingDown,
  PostgresEventStore,
  ProcessManager,
  ShuttingDownError,
  StartedBy,
} from '../../lib/index.js';
import { Counter, Increment } from '../fixtures/counter.js';
import { Add, Added, Tally } from '../fixtures/tally.js';
import { createApp } from '../fixtures/create-app.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';

describe('application shutdown', () => {
  let schema: TestSchema;
  beforeEach(async () => (schema = await testSchema('es_shutdown')));
  afterEach(() => schema.drop());

  it('lets commands in flight finish before it closes the event store', async () => {
    const app = await createApp({
      aggregates: [Counter],
      options: { eventStore: { adapter: 'postgres', connectionString: TEST_DATABASE_URL, schema: schema.name } },
    });
    const gateway = app.get(CommandGateway);
    await gateway.dispatch(new Increment('drain'));
    // Both commands are accepted before the shutdown starts; the slow one is still deciding.
    const inFlight = [1, 2].map(() => gateway.dispatch<number>(new Increment('drain', 1, 300), { returning: 'aggregateVersion' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.close();
    expect(await Promise.all(inFlight)).toEqual([2, 3]);

    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    await store.init();
    expect(await store.streamVersion('counter-drain')).toBe(3);
    await store.close();
  });

  it('refuses a command that arrives once shutdown began with ShuttingDownError, runs nothing of it, and finishes those admitted before', async () => {
    const app = await createApp({
      aggregates: [Counter],
      options: {
        nodeName: 'leaving-node',
        eventStore: { adapter: 'postgres', connectionString: TEST_DATABASE_URL, schema: schema.name },
      },
    });
    const gateway = app.get(CommandGateway);
    const shutdown = app.get(EventSourcingShutdown);
    const admitted = gateway.dispatch<number>(new Increment('refuse', 1, 300), { returning: 'aggregateVersion' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const handedOver = shutdown.begin();
    expect(shutdown.shuttingDown).toBe(true);

    const refused = await gateway.dispatch(new Increment('refuse-late')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ShuttingDownError);
    expect(isShuttingDown(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'SHUTTING_DOWN', node: 'leaving-node', commandName: 'Increment', retryable: true });
    expect((refused as Error).message).toBe(
      "Node 'leaving-node' is shutting down and takes no new commands; 'Increment' did not run: send it to another node",
    );
    await handedOver;
    expect(await admitted).toBe(1);
    // app.close() finishes what begin() started: calling both is safe.
    await app.close();

    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    await store.init();
    expect(await store.streamVersion('counter-refuse')).toBe(1);
    expect(await store.streamVersion('counter-refuse-late')).toBe(0);
    await store.close();
  });

  it('lets a process manager finish the event in flight during shutdown: its later commands are admitted and its checkpoint moves', async () => {
    const store = new InMemoryEventStore();
    let toFanA = 0;
    const countFanA: CommandMiddleware = {
      beforeDispatch: ({ command }) => void (command instanceof Add && command.tallyId === 'fan-a' && toFanA++),
    };
    const app = await createApp({
      aggregates: [Tally],
      processManagers: [FanOut],
      options: { eventStore: store, commands: { middleware: [countFanA] } },
    });
    const gateway = app.get(CommandGateway);
    // The first command of the fan-out waits behind a held one, so the second is sent after shutdown began.
    let [entered, release] = [() => {}, () => {}];
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    Tally.hold = { entered, released: new Promise<void>((resolve) => (release = resolve)) };
    const slow = gateway.dispatch(new Add('fan-a', 10));
    await handlerEntered;
    Tally.hold = undefined;
    const source = (await gateway.dispatch<{ globalPosition: number }>(new Add('fan', 1), { returning: 'executionResult' })).globalPosition;
    await eventually(() => expect(toFanA).toBe(2));
    const shutdown = app.get(EventSourcingShutdown).begin();
    release();
    await shutdown;
    await slow;
    await app.close();

    expect((await store.readStream('tally-fan-a')).map((e) => e.data.by)).toEqual([10, 1]);
    expect((await store.readStream('tally-fan-b')).map((e) => e.data.by)).toEqual([1]);
    expect(await store.readCheckpoint('fan-out')).toBeGreaterThanOrEqual(source);
  });
});

/** Copies an addition to tally `fan` onto `fan-a`, then `fan-b`, one after the other. */
@ProcessManager({ name: 'fan-out' })
class FanOut {
  @StartedBy(Added, (event) => (event.tallyId === 'fan' ? event.tallyId : undefined))
  copy({ by }: Added) {
    return [new Add('fan-a', by), new Add('fan-b', by)];
  }
}
