import { BeforeReset } from '../../lib/decorators/before-reset.decorator.js';
import { On } from '../../lib/decorators/on.decorator.js';
import { Projector } from '../../lib/decorators/projector.decorator.js';
import { isPartitionLayout } from '../../lib/errors/partition-layout.error.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { EventContext } from '../../lib/subscriptions/event-context.js';
import type { ResetContext } from '../../lib/subscriptions/control/reset-context.js';
import { subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { partitionName, streamPartition } from '../../lib/event-store/stream-partition.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, ItemAdded, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

const PARTITIONS = 8;
/** Leases as session advisory locks (the default), and as expiring rows, as through a transaction-mode pooler. */
type LeaseMode = 'lock' | 'row';
const ROW_LEASES = { pooler: 'transaction', leaseTimeout: 2000 } as const;

describe('a spread subscription shared by managers on separate PostgreSQL stores', () => {
  let schema: TestSchema;
  const stores: PostgresEventStore[] = [];
  let table: string;

  const openStore = async (leases: LeaseMode = 'lock') => {
    const store = new PostgresEventStore({
      connectionString: TEST_DATABASE_URL,
      schema: schema.name,
      poolSize: 3,
      ...(leases === 'row' ? { ...ROW_LEASES, listenConnectionString: TEST_DATABASE_URL } : {}),
    });
    await store.init();
    stores.push(store);
    return store;
  };

  /** A node: its own store (lock session), pubsub and manager running the projector, spread over `partitions` (none: whole). */
  /** Items the projector fails on (and then parks), until a test takes them out. */
  const poisoned = new Set<string>();

  const startNode = async (name: string, node: string, partitions: number | null = PARTITIONS, leases: LeaseMode = 'lock') => {
    const store = await openStore(leases);
    const { definition } = recordingHandler(
      { name, errorPolicy: 'park', ...(partitions === null ? {} : { spread: { partitions } }) },
      async (event, context) => {
        if (poisoned.has(event.item)) throw new Error(`poisoned ${event.item}`);
        await context.sql!.query(
          `INSERT INTO ${table} (event_id, position, node) VALUES ($1, $2, $3)
           ON CONFLICT (event_id) DO UPDATE SET handled = ${table}.handled + 1`,
          [context.eventId, context.globalPosition, node],
        );
      },
      'projector',
    );
    const manager = managerOn(store, { settings: { memberTimeout: 2000, maxAttempts: 1 } });
    await manager.start([definition]);
    return { store, manager, node };
  };

  const holders = async (name: string) => {
    const { rows } = await stores[0].sql.query<{ name: string; owner: string | null }>(
      `SELECT name, owner FROM "${schema.name}".subscriptions WHERE partition_of = $1 ORDER BY name`,
      [name],
    );
    return rows;
  };

  const handled = async () => {
    const { rows } = await stores[0].sql.query<{ event_id: string; handled: number; node: string }>(`SELECT event_id, handled, node FROM ${table}`);
    return rows;
  };

  beforeEach(async () => {
    schema = await testSchema('es_spread');
    table = `"${schema.name}".spread_items`;
    const store = await openStore();
    await store.sql.query(
      `CREATE TABLE ${table} (event_id uuid PRIMARY KEY, position bigint NOT NULL, node text NOT NULL, handled int NOT NULL DEFAULT 1)`,
    );
  });
  afterEach(async () => {
    await stopAllManagers();
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  it.each<LeaseMode>(['lock', 'row'])(
    'splits the partitions among the nodes and handles every event once across a join and a leave (%s leases)',
    async (leases) => {
      const name = uniqueName('spread');
      const lists = Array.from({ length: 24 }, (_, i) => `l${i}`);
      const appendRound = async (round: number) => {
        let last = 0;
        for (const list of lists) last = (await addItems(stores[0], list, [`${round}-a`, `${round}-b`])).globalPosition;
        return last;
      };
      const nodes = [await startNode(name, 'n1', PARTITIONS, leases), await startNode(name, 'n2', PARTITIONS, leases)];
      let head = await appendRound(1);
      await waitForHandler(stores[0], name, head);
      await eventually(async () => expect(new Set((await holders(name)).map((row) => row.owner)).size).toBe(2));

      nodes.push(await startNode(name, 'n3', PARTITIONS, leases));
      head = await appendRound(2);
      await eventually(async () => {
        const owners = (await holders(name)).map((row) => row.owner);
        expect(owners.every((owner) => owner !== null)).toBe(true);
        expect(new Set(owners).size).toBe(3);
      });
      await waitForHandler(stores[0], name, head);

      await nodes[0].manager.stop();
      head = await appendRound(3);
      await waitForHandler(stores[0], name, head);
      await eventually(async () => {
        const owners = (await holders(name)).map((row) => row.owner);
        expect(owners.every((owner) => owner !== null)).toBe(true);
        expect(new Set(owners).size).toBe(2);
      });

      const rows = await handled();
      expect(rows).toHaveLength(lists.length * 6);
      expect(rows.filter((row) => row.handled !== 1)).toEqual([]);
      expect(new Set(rows.map((row) => row.node))).toEqual(new Set(['n1', 'n2', 'n3']));
      const status = nodes[1].manager.status(name)!;
      expect(status.partitions).toHaveLength(PARTITIONS);
      const control = await nodes[1].manager.readControl(name);
      expect(control).toMatchObject({ name, partitions: PARTITIONS, position: head });
      expect((await nodes[1].manager.listControl()).map((state) => state.name)).toEqual([
        name,
        ...Array.from({ length: PARTITIONS }, (_, i) => partitionName(name, i)).sort(),
      ]);
    },
  );

  it('carries a whole checkpoint over to the partitions once, and refuses any other layout after that', async () => {
    const name = uniqueName('spread-later');
    const lists = Array.from({ length: 12 }, (_, i) => `m${i}`);
    for (const list of lists) await addItems(stores[0], list, ['a', 'b']);
    let head = (await addItems(stores[0], 'm3', ['poison'])).globalPosition;
    poisoned.add('poison');
    const whole = await startNode(name, 'whole', null);
    await waitForHandler(stores[0], name, head);
    await whole.manager.stop();
    expect(await whole.manager.parked(name)).toEqual([expect.objectContaining({ streamId: 'list-m3', subscription: name })]);

    for (const list of lists) head = (await addItems(stores[0], list, ['c'])).globalPosition;
    const nodes = [await startNode(name, 'n1'), await startNode(name, 'n2')];
    await waitForHandler(stores[0], name, head);
    // The parked event went to the partition of its stream, which redelivers it once asked.
    expect(await nodes[0].manager.parked(name)).toEqual([
      expect.objectContaining({ streamId: 'list-m3', subscription: partitionName(name, streamPartition('list-m3', PARTITIONS)) }),
    ]);
    poisoned.delete('poison');
    expect(await nodes[1].manager.retryParked(name, 'all')).toBe(1);
    await eventually(async () => expect(await nodes[0].manager.parkedCount(name)).toBe(0));
    const rows = await handled();
    expect(rows).toHaveLength(lists.length * 3 + 1);
    expect(rows.filter((row) => row.handled !== 1)).toEqual([]);
    expect(rows.filter((row) => row.node === 'whole')).toHaveLength(lists.length * 2);

    const other = managerOn(await openStore());
    const declared = (partitions?: number) => {
      @Projector({ name, ...(partitions ? { spread: { partitions } } : {}) })
      class Declared {
        @On(ItemAdded)
        added(): void {}
      }
      return subscriptionDefinitionOf(new Declared());
    };
    for (const partitions of [4, undefined]) {
      const refusal = await other.start([declared(partitions)]).catch((error: unknown) => error);
      expect(isPartitionLayout(refusal)).toBe(true);
      expect((refusal as Error).message).toContain(
        `Subscription '${name}' is stored spread over ${PARTITIONS} partitions but declared ${partitions ? 'spread over 4' : 'whole'}`,
      );
    }
    expect(nodes[0].manager.status(name)?.state).toBe('running');
  });

  it('pauses, resumes and resets every partition as one, running @BeforeReset once, each partition replaying what it had handled', async () => {
    const name = uniqueName('spread-control');
    const resets: ResetContext[] = [];
    /** `[position, context.replaying]` of every delivery. */
    const flags: Array<[number, boolean]> = [];
    let refuseReset = true;
    @Projector({ name, spread: { partitions: 4 } })
    class Items {
      @On(ItemAdded)
      async added(_event: ItemAdded, context: EventContext) {
        flags.push([context.globalPosition, context.replaying]);
        await context.sql!.query(
          `INSERT INTO ${table} (event_id, position, node) VALUES ($1, $2, 'n') ON CONFLICT (event_id) DO UPDATE SET handled = ${table}.handled + 1`,
          [context.eventId, context.globalPosition],
        );
      }

      @BeforeReset()
      async clear(context: ResetContext) {
        resets.push(context);
        await context.sql!.query(`DELETE FROM ${table}`);
        if (refuseReset) throw new Error('not now');
      }
    }
    const managers = [managerOn(await openStore()), managerOn(await openStore())];
    for (const manager of managers) await manager.start([subscriptionDefinitionOf(new Items())]);
    let head = 0;
    for (let i = 0; i < 10; i++) head = (await addItems(stores[0], `r${i}`, ['a'])).globalPosition;
    await waitForHandler(stores[0], name, head);

    await managers[0].pause(name);
    await eventually(() =>
      expect(managers.flatMap((manager) => manager.status(name)!.partitions!.filter((p) => p.state === 'paused'))).toHaveLength(4),
    );
    for (let i = 0; i < 10; i++) head = (await addItems(stores[0], `r${i}`, ['b'])).globalPosition;
    expect(await handled()).toHaveLength(10);
    await managers[1].resume(name);
    await waitForHandler(stores[0], name, head);
    expect(await handled()).toHaveLength(20);

    // A failing @BeforeReset resets nothing; the node that tried keeps the reset until it is asked again.
    await managers[1].reset(name, { to: 'origin' });
    const refused = await eventually(() => {
      const failed = managers.map((manager) => manager.status(name)!).find((status) => status.state === 'stopped');
      expect(failed?.lastError?.message).toBe('not now');
      return failed!;
    });
    expect(refused.partitions!.every((partition) => partition.state !== 'running')).toBe(true);
    expect(await handled()).toHaveLength(20);
    expect((await managers[0].readControl(name))?.resetTo).toBe(0);
    expect(resets).toHaveLength(1);

    refuseReset = false;
    resets.length = 0;
    expect(flags.every(([, replaying]) => !replaying)).toBe(true);
    flags.length = 0;
    const requested = await managers[1].reset(name, { to: 'origin' });
    expect(requested).toMatchObject({ name, resetTo: 0, partitions: 4 });
    await eventually(async () => expect((await managers[0].readControl(name))?.resetTo).toBeNull());
    await waitForHandler(stores[0], name, head);
    await eventually(async () => expect(await handled()).toHaveLength(20));
    expect(resets).toEqual([expect.objectContaining({ position: 0 })]);
    expect((await handled()).filter((row) => row.handled !== 1)).toEqual([]);
    // Every partition replays up to the furthest position it had reached; what comes after is new.
    expect(flags.map(([position]) => position).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(flags.filter(([, replaying]) => !replaying)).toEqual([]);
    for (let i = 0; i < 4; i++) head = (await addItems(stores[0], `r${i}`, ['c'])).globalPosition;
    await waitForHandler(stores[0], name, head);
    await eventually(() => expect(flags).toHaveLength(24));
    expect(flags.slice(20).every(([, replaying]) => !replaying)).toBe(true);
  });

  it('parks a failing event in its partition, lists and retries it by the subscription name', async () => {
    const name = uniqueName('spread-park');
    let fixed = false;
    const attempts: string[] = [];
    const { definition } = recordingHandler(
      { name, spread: { partitions: 4 }, errorPolicy: 'park' },
      async (event, context) => {
        attempts.push(event.item);
        if (event.item === 'bad' && !fixed) throw new Error('not yet');
        await context.sql!.query(`INSERT INTO ${table} (event_id, position, node) VALUES ($1, $2, 'n')`, [context.eventId, context.globalPosition]);
      },
      'projector',
    );
    const manager = managerOn(await openStore(), { settings: { maxAttempts: 1 } });
    await manager.start([definition]);
    let head = 0;
    for (let i = 0; i < 8; i++) head = (await addItems(stores[0], `p${i}`, i === 5 ? ['ok', 'bad'] : ['ok'])).globalPosition;
    await waitForHandler(stores[0], name, head);

    const parked = await manager.parked(name);
    expect(parked).toEqual([
      expect.objectContaining({ streamId: 'list-p5', error: 'not yet', subscription: expect.stringMatching(new RegExp(`^${name}#[0-3]$`)) }),
    ]);
    expect(await manager.parkedCount(name)).toBe(1);
    fixed = true;
    expect(await manager.retryParked(name, 'all')).toBe(1);
    await eventually(async () => expect(await manager.parkedCount(name)).toBe(0));
    expect(await handled()).toHaveLength(9);
    expect(attempts.filter((item) => item === 'bad')).toHaveLength(2);
  });
});
