import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import { CommandBus } from '@nestjs/cqrs';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import {
  AggregateNotFoundError,
  AggregateReader,
  CommandGateway,
  EventSourcingHealth,
  EventSourcingHealthIndicator,
  EventSourcingShutdown,
  type EventSourcingModuleOptions,
  type EventStoreAdapterOptions,
  InvalidIdentifierError,
  ShuttingDownError,
  StoreUnavailableError,
  TENANTS_STREAM,
  TenantRequiredError,
  Tenants,
  UnknownTenantError,
} from '../../lib/index.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { createApp } from '../fixtures/create-app.js';
import { Add, Mirror, Tally } from '../fixtures/tally.js';
import { TenantAudit, TenantTotals } from '../fixtures/tenant-tallies.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, testSchema, withClient } from '../harness/postgres-schema.js';

interface Backend {
  eventStore: EventStoreAdapterOptions;
  /** A tenant's store outlives its engine (not on the memory adapter, where the engine holds it). */
  keepsStores: boolean;
  /** The schemas a tenant's events may be found in, read straight from PostgreSQL (postgres only). */
  rowsOf?: (tenant: string) => Promise<Array<{ stream_id: string; data: { by: number }; metadata: { tenant?: string } }>>;
  close(): Promise<void>;
}

const TENANT_IDS = ['acme', 'globex', 'initech'];

async function postgres(): Promise<Backend> {
  const schema = await testSchema('es_tenants');
  const drop = (name: string) => withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`));
  return {
    eventStore: { adapter: 'postgres', connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 3 },
    keepsStores: true,
    rowsOf: (tenant) =>
      withClient(
        async (client) =>
          (await client.query(`SELECT stream_id, data, metadata FROM "${schema.name}_${tenant}".events ORDER BY global_position`)).rows,
      ),
    close: async () => {
      await Promise.all(TENANT_IDS.map((tenant) => drop(`${schema.name}_${tenant}`)));
      await schema.drop();
    },
  };
}

const BACKENDS: Array<[string, () => Promise<Backend>]> = [
  ['postgres', postgres],
  ['embedded', async () => ({ eventStore: { adapter: 'embedded', schema: 'event_store' }, keepsStores: true, close: async () => undefined })],
  ['memory', async () => ({ eventStore: { adapter: 'memory' }, keepsStores: false, close: async () => undefined })],
];

const appOn = (eventStore: EventStoreAdapterOptions, options: Partial<EventSourcingModuleOptions> = {}) =>
  createApp({
    options: { eventStore, tenants: { initial: ['acme', 'globex'], refreshInterval: 100 }, commands: { middleware: [TenantAudit] }, ...options },
    aggregates: [Tally],
    processManagers: [Mirror],
    providers: [TenantTotals, TenantAudit],
  });

describe.each(BACKENDS)('tenants on the %s store', (_name, open) => {
  let backend: Backend;
  let app: INestApplication;

  beforeEach(async () => {
    backend = await open();
    app = await appOn(backend.eventStore);
  });
  afterEach(async () => {
    await app?.close();
    await backend?.close();
  });

  it("runs each tenant's commands, process managers and handlers on its own store, never another's", async () => {
    const gateway = app.get(CommandGateway);
    const tenants = app.get(Tenants);
    await gateway.dispatch(new Add('src-1', 5), { tenant: 'acme' });
    await gateway.dispatch(new Add('src-1', 7), { tenant: 'globex' });
    for (const tenant of ['acme', 'globex']) {
      const { store } = await tenants.engine(tenant);
      await waitForHandler(store, 'mirror', await store.headPosition());
      await waitForHandler(store, 'tenant-totals', await store.headPosition());
    }

    const reader = app.get(AggregateReader);
    expect((await reader.load(Tally, 'src-1', { tenant: 'acme' })).state.total).toBe(5);
    expect((await reader.load(Tally, 'target-1', { tenant: 'acme' })).state.total).toBe(5);
    expect((await reader.load(Tally, 'src-1', { tenant: 'globex' })).state.total).toBe(7);
    expect((await reader.load(Tally, 'target-1', { tenant: 'globex' })).state.total).toBe(7);
    const totals = app.get(TenantTotals);
    expect(totals.of('acme')).toEqual([
      { tenant: 'acme', tallyId: 'src-1', by: 5 },
      { tenant: 'acme', tallyId: 'target-1', by: 5 },
    ]);
    expect(totals.of('globex').map((s) => s.by)).toEqual([7, 7]);
    expect(totals.seen).toHaveLength(4);

    const acme = (await tenants.engine('acme')).store;
    expect((await acme.readStream('tally-src-1')).map((e) => [e.data.by, e.metadata.tenant])).toEqual([[5, 'acme']]);
    // The module's own store lists the tenants and holds nothing else.
    const base = app.get(Tenants)['store'];
    expect((await base.readStream(TENANTS_STREAM)).map((e) => e.data.tenantId)).toEqual(['acme', 'globex']);
    expect(await base.headPosition()).toBe(2);
    if (backend.rowsOf) {
      expect((await backend.rowsOf('acme')).map((row) => [row.stream_id, row.data.by, row.metadata.tenant])).toEqual([
        ['tally-src-1', 5, 'acme'],
        ['tally-target-1', 5, 'acme'],
      ]);
      expect((await backend.rowsOf('globex')).every((row) => row.data.by === 7 && row.metadata.tenant === 'globex')).toBe(true);
    }
  });

  it('refuses a command or read that names no tenant, an unknown one or a malformed one, and writes nothing', async () => {
    const gateway = app.get(CommandGateway);
    await expect(gateway.dispatch(new Add('src-1', 1))).rejects.toBeInstanceOf(TenantRequiredError);
    await expect(gateway.dispatch(new Add('src-1', 1), { tenant: 'umbrella' })).rejects.toBeInstanceOf(UnknownTenantError);
    await expect(gateway.dispatch(new Add('src-1', 1), { tenant: 'Robert"); DROP' })).rejects.toBeInstanceOf(InvalidIdentifierError);
    await expect(app.get(AggregateReader).load(Tally, 'src-1')).rejects.toBeInstanceOf(TenantRequiredError);
    await expect(app.get(AggregateReader).load(Tally, 'src-1', { tenant: 'umbrella' })).rejects.toBeInstanceOf(UnknownTenantError);
    const tenants = app.get(Tenants);
    expect(tenants.running().sort()).toEqual(['acme', 'globex']);
    for (const tenant of ['acme', 'globex']) expect(await (await tenants.engine(tenant)).store.headPosition()).toBe(0);
    if (backend.rowsOf) await expect(backend.rowsOf('umbrella')).rejects.toThrow(/does not exist/);
  });

  it("refuses a handler's dispatch into another tenant, inside the tenant's own engine", async () => {
    const gateway = app.get(CommandGateway);
    await gateway.dispatch(new Add('cross-1', 3), { tenant: 'acme' });
    const totals = app.get(TenantTotals);
    await eventually(() => expect(totals.refused).toHaveLength(1));
    expect(totals.refused[0]).toBeInstanceOf(UnknownTenantError);
    const tenants = app.get(Tenants);
    const acme = await tenants.engine('acme');
    await expect(acme.commands.dispatch(new Add('leak-2', 1), { tenant: 'globex' })).rejects.toBeInstanceOf(UnknownTenantError);
    const globex = (await tenants.engine('globex')).store;
    expect(await globex.headPosition()).toBe(0);
    expect((await acme.store.readStream('tally-leak-cross-1')).length).toBe(0);
  });

  it("runs the application's command middleware, the one instance with its dependencies, in every tenant's engine", async () => {
    await app.get(CommandGateway).dispatch(new Add('src-2', 2), { tenant: 'globex' });
    const audit = app.get(TenantAudit);
    expect(audit.totals).toBe(app.get(TenantTotals));
    await eventually(() =>
      expect(audit.commands).toEqual([
        { command: 'Add', tenant: 'globex' },
        { command: 'Add', tenant: 'globex' },
      ]),
    );
  });

  it("reports each tenant's engine in the node's status and health checks", async () => {
    await app.get(CommandGateway).dispatch(new Add('src-1', 5), { tenant: 'acme' });
    const status = app.get(EventSourcingHealth).status();
    expect(Object.keys(status.tenants ?? {}).sort()).toEqual(['acme', 'globex']);
    expect(status.tenants!.acme.subscriptions.map((s) => s.name).sort()).toEqual(['mirror', 'tenant-totals']);
    const ready = await eventually(async () => {
      const result = (await app.get(EventSourcingHealthIndicator).check())['event-sourcing'];
      expect(result.status).toBe('up');
      return result;
    });
    expect(Object.keys(ready.tenants ?? {}).sort()).toEqual(['acme', 'globex']);
    expect(ready.tenants!.acme.store.head).toBeGreaterThan(0);
    expect(ready.tenants!.globex.subscriptions.mirror.checkpoint).toBe(0);
  });

  it("refuses new commands for every tenant once the node's shutdown begins, and hands each tenant's subscriptions over", async () => {
    await app.get(CommandGateway).dispatch(new Add('src-1', 1), { tenant: 'acme' });
    const acmeStore = (await app.get(Tenants).engine('acme')).store;
    await waitForHandler(acmeStore, 'mirror', 1);
    await app.get(EventSourcingShutdown).begin();
    await expect(app.get(CommandGateway).dispatch(new Add('src-1', 1), { tenant: 'globex' })).rejects.toBeInstanceOf(ShuttingDownError);
    const acme = await app.get(Tenants).engine('acme');
    await expect(acme.commands.dispatch(new Add('src-2', 1))).rejects.toBeInstanceOf(ShuttingDownError);
    expect(acme.subscriptions.statuses()).toEqual([]);
    expect(await acme.store.headPosition()).toBe(2);
  });

  it('removes a tenant at run time: its engine stops, its commands and reads are refused, the others run on', async () => {
    const tenants = app.get(Tenants);
    const gateway = app.get(CommandGateway);
    const reader = app.get(AggregateReader);
    await gateway.dispatch(new Add('src-3', 3), { tenant: 'acme' });
    const acme = await tenants.engine('acme');
    await waitForHandler(acme.store, 'mirror', await acme.store.headPosition());
    const head = await acme.store.headPosition();

    await tenants.remove('acme');
    expect(tenants.running()).toEqual(['globex']);
    expect(await tenants.list()).toEqual(['globex']);
    expect(Object.keys(app.get(EventSourcingHealth).status().tenants ?? {})).toEqual(['globex']);
    await expect(gateway.dispatch(new Add('src-3', 1), { tenant: 'acme' })).rejects.toBeInstanceOf(UnknownTenantError);
    await expect(reader.load(Tally, 'src-3', { tenant: 'acme' })).rejects.toBeInstanceOf(UnknownTenantError);
    await expect(acme.commands.dispatch(new Add('src-3', 1))).rejects.toBeInstanceOf(ShuttingDownError);
    await expect(tenants.remove('acme')).rejects.toBeInstanceOf(UnknownTenantError);
    await expect(tenants.remove('umbrella')).rejects.toBeInstanceOf(UnknownTenantError);
    await gateway.dispatch(new Add('src-3', 4), { tenant: 'globex' });
    expect((await reader.load(Tally, 'src-3', { tenant: 'globex' })).state.total).toBe(4);

    // Its store is kept where it outlives the engine: adding the tenant again serves the same events.
    await tenants.add('acme');
    expect((await tenants.list()).sort()).toEqual(['acme', 'globex']);
    const again = await tenants.engine('acme');
    expect(await again.store.headPosition()).toBe(backend.keepsStores ? head : 0);
    const reloaded = reader.load(Tally, 'src-3', { tenant: 'acme' });
    if (backend.keepsStores) expect((await reloaded).state.total).toBe(3);
    else await expect(reloaded).rejects.toBeInstanceOf(AggregateNotFoundError);
    const base = app.get(Tenants)['store'];
    expect((await base.readStream(TENANTS_STREAM)).map((e) => [e.eventType, e.data.tenantId])).toEqual([
      ['$TenantAdded', 'acme'],
      ['$TenantAdded', 'globex'],
      ['$TenantRemoved', 'acme'],
      ['$TenantAdded', 'acme'],
    ]);
  });

  it('takes the tenant of Tenants.run for the calls within it that name none, CommandBus.execute included', async () => {
    const tenants = app.get(Tenants);
    const reader = app.get(AggregateReader);
    const bus = app.get(CommandBus);
    await tenants.run('acme', async () => {
      await bus.execute(new Add('scoped-1', 2));
      await app.get(CommandGateway).dispatch(new Add('scoped-1', 3));
      expect(tenants.current()).toBe('acme');
      expect((await reader.load(Tally, 'scoped-1')).state.total).toBe(5);
      // A call naming a tenant goes there, whatever the scope.
      await app.get(CommandGateway).dispatch(new Add('scoped-1', 7), { tenant: 'globex' });
    });
    expect(tenants.current()).toBeUndefined();
    await expect(bus.execute(new Add('scoped-1', 1))).rejects.toBeInstanceOf(TenantRequiredError);
    expect((await reader.load(Tally, 'scoped-1', { tenant: 'acme' })).state.total).toBe(5);
    expect((await reader.load(Tally, 'scoped-1', { tenant: 'globex' })).state.total).toBe(7);
    expect(() => tenants.run('Not-an-id', () => undefined)).toThrow(InvalidIdentifierError);
    await expect(tenants.run('umbrella', () => bus.execute(new Add('scoped-1', 1)))).rejects.toBeInstanceOf(UnknownTenantError);
  });

  it("runs a tenant's handlers in that tenant's scope, never in the scope of the caller that started its engine or sent the command", async () => {
    const tenants = app.get(Tenants);
    // initech's engine starts, and its command runs, from within acme's scope.
    await tenants.add('initech');
    await tenants.run('acme', () => app.get(CommandGateway).dispatch(new Add('echo-1', 4), { tenant: 'initech' }));
    const totals = app.get(TenantTotals);
    await eventually(() => expect(totals.of('initech').map((s) => s.tallyId)).toContain('echoed-echo-1'));
    expect(totals.scopes).toEqual(['initech']);
    expect(totals.refused).toEqual([]);
    expect((await app.get(AggregateReader).load(Tally, 'echoed-echo-1', { tenant: 'initech' })).state.total).toBe(4);
    const acme = await tenants.engine('acme');
    expect(await acme.store.headPosition()).toBe(0);
  });

  it('adds a tenant at run time, without a restart', async () => {
    const tenants = app.get(Tenants);
    await expect(app.get(CommandGateway).dispatch(new Add('src-9', 2), { tenant: 'initech' })).rejects.toBeInstanceOf(UnknownTenantError);
    await tenants.add('initech');
    expect((await tenants.list()).sort()).toEqual(['acme', 'globex', 'initech']);
    await app.get(CommandGateway).dispatch(new Add('src-9', 2), { tenant: 'initech' });
    const totals = app.get(TenantTotals);
    await eventually(() => expect(totals.of('initech').map((s) => s.tallyId)).toEqual(['src-9', 'target-9']));
    expect(totals.seen).toHaveLength(2);
  });
});

describe('a tenant whose store is out, on PostgreSQL', () => {
  let backend: Backend;
  let app: INestApplication;

  afterEach(async () => {
    await app?.close();
    await backend?.close();
  });

  it('serves the other tenants, fails only its own commands, and says so in the health check without making the node unready', async () => {
    backend = await postgres();
    const base = backend.eventStore as { schema: string };
    app = await appOn(backend.eventStore, {
      tenants: {
        initial: ['acme', 'globex'],
        eventStore: (tenant) =>
          tenant === 'globex'
            ? { adapter: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:1/test', schema: `${base.schema}_${tenant}` }
            : ({ ...backend.eventStore, schema: `${base.schema}_${tenant}` } as EventStoreAdapterOptions),
      },
    });
    const gateway = app.get(CommandGateway);
    await gateway.dispatch(new Add('src-1', 1), { tenant: 'acme' });
    await expect(gateway.dispatch(new Add('src-1', 1), { tenant: 'globex' })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(app.get(Tenants).running()).toEqual(['acme']);

    const indicator = app.get(EventSourcingHealthIndicator);
    expect((await indicator.isReady())['event-sourcing'].status).toBe('up');
    const checked = (await indicator.check())['event-sourcing'];
    expect(checked.status).toBe('down');
    expect(checked.problems).toEqual([expect.stringMatching(/^tenant 'globex': its engine did not start: Event store connection failed/)]);
  });
});

describe('tenants sharing one pool per node, on PostgreSQL', () => {
  let backend: Backend;
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    await backend?.close();
  });

  /** Connections the server has open for `applicationName`. */
  const connectionsOf = (applicationName: string) =>
    withClient(
      async (client) =>
        (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0].n as number,
    );

  it("borrows every tenant's pooled connections from one pool of tenants.poolSize, and ends it with the application", async () => {
    backend = await postgres();
    const applicationName = `tenant-pool-${randomUUID().slice(0, 8)}`;
    const eventStore = { ...backend.eventStore, pool: { application_name: applicationName } } as EventStoreAdapterOptions;
    app = await appOn(eventStore, { tenants: { initial: TENANT_IDS, refreshInterval: 100, poolSize: 2 } });
    const gateway = app.get(CommandGateway);
    await Promise.all(TENANT_IDS.flatMap((tenant) => Array.from({ length: 10 }, (_, i) => gateway.dispatch(new Add(`p-${i}`, 1), { tenant }))));

    const tenants = app.get(Tenants);
    const poolOf = async (tenant: string) => ((await tenants.engine(tenant)).store as unknown as { driver: { pool: Pool } }).driver.pool;
    const pools = await Promise.all(TENANT_IDS.map(poolOf));
    expect(new Set(pools).size).toBe(1);
    const [pool] = pools;
    expect(pool.options.max).toBe(2);
    expect(pool.totalCount).toBeLessThanOrEqual(2);
    // One listener per pool, however many stores borrow it or have come and gone.
    await tenants.remove('initech');
    await tenants.add('initech');
    expect(await poolOf('initech')).toBe(pool);
    expect([pool.listenerCount('error'), pool.listenerCount('connect')]).toEqual([1, 1]);
    for (const tenant of TENANT_IDS) expect((await app.get(AggregateReader).load(Tally, 'p-9', { tenant })).state.total).toBe(1);

    await app.close();
    app = undefined;
    expect(pool.ending).toBe(true);
    await eventually(async () => expect(await connectionsOf(applicationName)).toBe(0));
  });
});

describe('tenants shared by two nodes on PostgreSQL', () => {
  let backend: Backend;
  const apps: INestApplication[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await backend?.close();
  });

  const startTwo = async (options: Partial<EventSourcingModuleOptions>) => {
    backend = await postgres();
    apps.push(await appOn(backend.eventStore, options), await appOn(backend.eventStore, options));
    return apps;
  };

  it('starts a tenant added on one node on the other by its next read of the list, and serves it there', async () => {
    const [a, b] = await startTwo({ tenants: { initial: ['acme', 'globex'], refreshInterval: 100 } });
    await a.get(Tenants).add('initech');
    await eventually(() => expect(b.get(Tenants).running().sort()).toEqual(['acme', 'globex', 'initech']));
    await b.get(CommandGateway).dispatch(new Add('src-4', 4), { tenant: 'initech' });
    expect((await a.get(AggregateReader).load(Tally, 'src-4', { tenant: 'initech' })).state.total).toBe(4);
    const seen = () => [...a.get(TenantTotals).of('initech'), ...b.get(TenantTotals).of('initech')].map((s) => s.tallyId).sort();
    await eventually(() => expect(seen()).toEqual(['src-4', 'target-4']));
  });

  it('stops a tenant removed on one node on the other by its next read of the list, and refuses its commands there', async () => {
    const [a, b] = await startTwo({ tenants: { initial: ['acme', 'globex'], refreshInterval: 100 } });
    await b.get(CommandGateway).dispatch(new Add('src-6', 6), { tenant: 'acme' });
    const { store } = await b.get(Tenants).engine('acme');
    await waitForHandler(store, 'mirror', await store.headPosition());
    await a.get(Tenants).remove('acme');
    await eventually(() => expect(b.get(Tenants).running()).toEqual(['globex']));
    await expect(b.get(CommandGateway).dispatch(new Add('src-6', 1), { tenant: 'acme' })).rejects.toBeInstanceOf(UnknownTenantError);
    // Its events stay in its schema, untouched.
    expect((await backend.rowsOf!('acme')).map((row) => [row.stream_id, row.data.by])).toEqual([
      ['tally-src-6', 6],
      ['tally-target-6', 6],
    ]);
  });

  it("starts and stops it on the other node at once through the Redis announcements, each tenant's messages on channels of its own", async () => {
    const channelPrefix = `tenants-${randomUUID()}:`;
    const pubsub = { transport: Transport.REDIS, options: { host: '127.0.0.1', port: 6379 }, channelPrefix } as const;
    // No re-read of the list within the test: only the announcement can tell node b.
    const [a, b] = await startTwo({ pubsub, tenants: { initial: ['acme'], refreshInterval: 3_600_000 } });
    const listener = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await listener.connect();
    const channels = new Set<string>();
    listener.on('pmessage', (_pattern, channel) => channels.add(channel));
    await listener.psubscribe(`${channelPrefix}*`);
    try {
      await a.get(Tenants).add('initech');
      await eventually(() => expect(b.get(Tenants).running().sort()).toEqual(['acme', 'initech']));
      await a.get(CommandGateway).dispatch(new Add('src-5', 5), { tenant: 'initech' });
      const seen = () => [...a.get(TenantTotals).of('initech'), ...b.get(TenantTotals).of('initech')].map((s) => s.tallyId).sort();
      await eventually(() => expect(seen()).toEqual(['src-5', 'target-5']));
      await eventually(() => expect(channels).toContain(`${channelPrefix}tenant.initech.es.appended`));
      expect(channels).toContain(`${channelPrefix}es.tenant-added`);
      expect([...channels].filter((c) => c.endsWith('es.appended')).every((c) => c.startsWith(`${channelPrefix}tenant.initech.`))).toBe(true);

      await b.get(Tenants).remove('initech');
      await eventually(() => expect(a.get(Tenants).running()).toEqual(['acme']));
      expect(channels).toContain(`${channelPrefix}es.tenant-removed`);
    } finally {
      listener.disconnect();
    }
  });
});
