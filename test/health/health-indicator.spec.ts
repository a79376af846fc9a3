import { Controller, Get, type INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { LATEST_MIGRATION } from '../../lib/event-store/sql/run-migrations.js';
import { CommandGateway, EventSourcingHealthIndicator, EventSourcingModule, isInvalidOptions, On, Projector } from '../../lib/index.js';
import { Counter, Increment, Incremented, Reset, ResetCounter } from '../fixtures/counter.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { TcpForwarder } from '../harness/tcp-forwarder.js';

/** Holds every event of the strong projection while closed: a real handler that falls behind. */
class Gate {
  private opened = Promise.resolve();
  private release = () => undefined as void;
  close() {
    this.opened = new Promise((resolve) => (this.release = resolve));
  }
  open() {
    this.release();
  }
  passed() {
    return this.opened;
  }
}
const gate = new Gate();

@Injectable()
@Projector({ name: 'balances', consistency: 'strong' })
class SlowBalances {
  @On(Incremented)
  async incremented() {
    await gate.passed();
  }
}

@Injectable()
@Projector({ name: 'audit', errorPolicy: 'stop' })
class FragileAudit {
  @On(Reset)
  reset() {
    throw new Error('audit cannot record a reset');
  }
}

@Controller('health')
class HealthProbes {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventSourcing: EventSourcingHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.eventSourcing.isLive()]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.eventSourcing.isReady('event-sourcing', { maxLag: 2, storeTimeout: 1000, subscriptions: { audit: { maxLag: 50 } } }),
    ]);
  }

  @Get('all')
  @HealthCheck()
  all() {
    return this.health.check([
      () => this.eventSourcing.check('event-sourcing', { maxLag: 2, storeTimeout: 1000, subscriptions: { audit: { maxLag: 50 } } }),
    ]);
  }
}

describe('EventSourcingHealthIndicator through Terminus, on PostgreSQL', () => {
  let schema: TestSchema;
  let forwarder: TcpForwarder;
  let app: INestApplication;
  let base: string;

  const probe = async (path: string) => {
    const response = await fetch(`${base}/health/${path}`);
    return { status: response.status, body: (await response.json()) as any };
  };
  const details = async (path: string) => (await probe(path)).body.details['event-sourcing'];
  const dispatch = (command: object) => app.get(CommandGateway).dispatch(command);

  beforeAll(async () => {
    schema = await testSchema('es_health');
    forwarder = new TcpForwarder({ host: '127.0.0.1', port: Number(new URL(TEST_DATABASE_URL).port || 5432) });
    await forwarder.restore();
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${forwarder.port}`;
    @Module({
      imports: [
        EventSourcingModule.forRoot({
          eventStore: { adapter: 'postgres', connectionString: url.toString(), schema: schema.name, pool: { connectionTimeoutMillis: 1000 } },
          subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 10 },
        }),
        EventSourcingModule.forFeature({ aggregates: [Counter] }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthProbes],
      providers: [SlowBalances, FragileAudit],
    })
    class HealthApp {}
    app = await NestFactory.create(HealthApp, { logger: false, abortOnError: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    await dispatch(new Increment('c1'));
  });
  afterAll(async () => {
    gate.open();
    await forwarder.restore().catch(() => undefined);
    await app?.close();
    await forwarder.cut();
    await schema.drop();
  });

  it('is live and ready with the store reachable, the schema current and every subscription caught up', async () => {
    expect(await probe('live')).toMatchObject({ status: 200, body: { status: 'ok', info: { 'event-sourcing': { status: 'up' } } } });
    const ready = await eventually(async () => {
      const answer = await probe('ready');
      expect(answer.status).toBe(200);
      expect(answer.body.details['event-sourcing'].subscriptions.balances.lag).toBe(0);
      return answer.body.details['event-sourcing'];
    });
    expect(ready).toMatchObject({
      status: 'up',
      problems: [],
      store: { reachable: true, head: 1, schemaVersion: LATEST_MIGRATION, latestSchemaVersion: LATEST_MIGRATION },
      pubsub: { transport: 'local', connected: true },
      subscriptions: {
        balances: { kind: 'projector', state: 'running', strong: true, checkpoint: 1, lag: 0, maxLag: 2 },
        audit: { kind: 'projector', strong: false, maxLag: 50 },
      },
    });
    expect(ready.cluster).toBeUndefined();
  });

  it('is not ready while a strong subscription trails the head beyond its threshold, and the details show the lag', async () => {
    gate.close();
    for (let i = 0; i < 4; i++) await dispatch(new Increment('c1'));
    const lagging = await eventually(async () => {
      const answer = await probe('ready');
      expect(answer.status).toBe(503);
      return answer.body;
    });
    expect(lagging.status).toBe('error');
    expect(lagging.error['event-sourcing'].subscriptions.balances).toMatchObject({ state: 'running', checkpoint: 1, lag: 4, maxLag: 2 });
    expect(lagging.error['event-sourcing'].problems).toEqual([`subscription 'balances' lags 4 events behind (max 2)`]);
    expect((await probe('live')).status).toBe(200);

    gate.open();
    await eventually(async () => expect(await probe('ready')).toMatchObject({ status: 200 }));
    expect((await details('ready')).subscriptions.balances).toMatchObject({ checkpoint: 5, lag: 0 });
  });

  it('is not ready while migrations are pending', async () => {
    const table = `"${schema.name}".migrations`;
    const { rows } = await withClient((client) => client.query(`SELECT name FROM ${table} WHERE version = $1`, [LATEST_MIGRATION]));
    await withClient((client) => client.query(`DELETE FROM ${table} WHERE version = $1`, [LATEST_MIGRATION]));
    try {
      const answer = await probe('ready');
      expect(answer.status).toBe(503);
      const previous = (await withClient((client) => client.query(`SELECT max(version) AS v FROM ${table}`))).rows[0].v as number;
      expect(answer.body.error['event-sourcing'].store).toMatchObject({
        reachable: true,
        schemaVersion: previous,
        latestSchemaVersion: LATEST_MIGRATION,
      });
      expect(answer.body.error['event-sourcing'].problems).toEqual([
        `event store schema at version ${previous}, this release needs ${LATEST_MIGRATION}: migrations pending`,
      ]);
    } finally {
      await withClient((client) => client.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [LATEST_MIGRATION, rows[0].name]));
    }
    expect((await probe('ready')).status).toBe(200);
  });

  it('stays live but is not ready while the store is unreachable, and is ready again once it is back', async () => {
    await forwarder.cut();
    const down = await probe('ready');
    expect(down.status).toBe(503);
    expect(down.body.error['event-sourcing'].store).toMatchObject({ reachable: false, error: expect.any(String) });
    expect(down.body.error['event-sourcing'].problems[0]).toMatch(/^event store unreachable: /);
    expect(await probe('live')).toMatchObject({ status: 200, body: { status: 'ok' } });

    await forwarder.restore();
    await eventually(async () => expect(await probe('ready')).toMatchObject({ status: 200 }), { timeout: 20_000 });
  });

  it('reports a stopped subscription in the full check without taking the node out of service', async () => {
    await dispatch(new ResetCounter('c1'));
    const stopped = await eventually(async () => {
      const answer = await probe('all');
      expect(answer.status).toBe(503);
      return answer.body.error['event-sourcing'];
    });
    expect(stopped.subscriptions.audit).toMatchObject({ state: 'stopped', lastError: 'audit cannot record a reset' });
    expect(stopped.problems).toEqual([`subscription 'audit' is stopped: audit cannot record a reset`]);
    expect(await probe('ready')).toMatchObject({ status: 200 });
  });

  it('is not live once the event loop was held far beyond maxEventLoopDelay', async () => {
    const indicator = app.get(EventSourcingHealthIndicator);
    await indicator.isLive();
    const until = Date.now() + 800;
    while (Date.now() < until); // a handler that never yields
    await new Promise((resolve) => setTimeout(resolve, 60));
    const held = await indicator.isLive('loop', { maxEventLoopDelay: 100 });
    expect(held.loop).toMatchObject({ status: 'down', maxEventLoopDelay: 100 });
    expect(held.loop.eventLoopDelay.max).toBeGreaterThan(500);
    expect((await indicator.isLive('loop', { maxEventLoopDelay: 100 })).loop.status).toBe('up');
  });

  it('refuses bad thresholds with InvalidOptionsError naming each', async () => {
    const error = await app
      .get(EventSourcingHealthIndicator)
      .isReady('event-sourcing', { maxLag: -1, storeTimeout: 0, subscriptions: { nope: { maxLag: 1.5 } } })
      .catch((e: unknown) => e);
    expect(isInvalidOptions(error)).toBe(true);
    expect((error as { problems: string[] }).problems).toEqual([
      `'storeTimeout' must be a positive number of ms, got 0`,
      `'maxLag' must be a whole number of events >= 0, got -1`,
      `'subscriptions.nope' names no subscription; known: balances, audit`,
      `'subscriptions.nope.maxLag' must be a whole number of events >= 0, got 1.5`,
    ]);
  });
});
