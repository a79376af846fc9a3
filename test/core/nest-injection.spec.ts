import type { INestApplication } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import {
  CommandGateway,
  type CommandMiddleware,
  type CommandPipeline,
  EventSourcingModule,
  EventStore,
  InMemoryEventStore,
  isConfigurationError,
  ProcessManager,
  StartedBy,
} from '../../lib/index.js';
import { ProcessManagerScenario } from '../../lib/testing/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { Add, Added, Tally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

/** A provider the middleware writes to. */
@Injectable()
class AuditTrail {
  readonly entries: string[] = [];
}

/** Middleware listed by class: Nest builds it and injects the trail. */
@Injectable()
class AuditMiddleware implements CommandMiddleware {
  constructor(private readonly trail: AuditTrail) {}

  beforeDispatch(pipeline: CommandPipeline) {
    this.trail.entries.push(`${pipeline.commandName} ${pipeline.commandId}`);
    pipeline.metadata.audited = true;
  }
}

@Module({ providers: [AuditTrail], exports: [AuditTrail] })
class AuditModule {}

/** A dependency no module provides. */
class Missing {}

@Injectable()
class NeedsMissing implements CommandMiddleware {
  constructor(readonly missing: Missing) {}

  beforeDispatch() {}
}

const SCALING = Symbol('Scaling');

/** A service a process manager injects. */
@Injectable()
class Multiplier {
  constructor(@Inject(SCALING) private readonly scaling: { factor: number }) {}

  times(by: number): number {
    return by * this.scaling.factor;
  }
}

/** Copies each addition to a `scaled-<x>` tally onto `scaled-copy-<x>`, multiplied by an injected service. */
@ProcessManager({ name: 'scaler' })
class Scaler {
  copied = 0;

  constructor(
    private readonly multiplier: Multiplier,
    @Inject(SCALING) readonly scaling: { factor: number },
  ) {}

  @StartedBy(Added, (event) => (event.tallyId.startsWith('scaled-') && !event.tallyId.includes('copy') ? event.tallyId : undefined))
  copy({ tallyId, by }: Added) {
    this.copied += by;
    return new Add(tallyId.replace(/^scaled-/, 'scaled-copy-'), this.multiplier.times(by));
  }
}

/** A process manager whose dependency no module provides. */
@ProcessManager({ name: 'needs-missing' })
class NeedsMissingProcess {
  constructor(readonly missing: Missing) {}

  @StartedBy(Added, () => undefined)
  never() {}
}

describe('Nest injection into middleware and process managers', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const lastEvent = async (app: INestApplication, streamId: string) => (await app.get<EventStore>(EventStore).readStream(streamId)).at(-1);

  it('builds middleware listed by class through Nest, sharing the provider when it is registered, beside plain objects', async () => {
    const order: string[] = [];
    const plain: CommandMiddleware = { beforeDispatch: () => void order.push('plain') };
    const app = await createApp({
      aggregates: [Tally],
      providers: [AuditTrail, AuditMiddleware],
      options: { commands: { middleware: [AuditMiddleware, plain] } },
    });
    apps.push(app);
    const tallyId = randomUUID();

    await app.get(CommandGateway).dispatch(new Add(tallyId, 1), { commandId: `audited-${tallyId}` });

    expect(app.get(AuditTrail).entries).toEqual([`Add audited-${tallyId}`]);
    expect(order).toEqual(['plain']);
    expect((await lastEvent(app, `tally-${tallyId}`))?.metadata).toMatchObject({ audited: true });
  });

  it('builds a middleware class that is no provider with the dependencies forRootAsync imports', async () => {
    @Module({
      imports: [
        EventSourcingModule.forRootAsync({
          imports: [AuditModule],
          useFactory: () => ({ eventStore: new InMemoryEventStore(), commands: { middleware: [AuditMiddleware] } }),
        }),
        EventSourcingModule.forFeature({ aggregates: [Tally] }),
      ],
    })
    class AsyncModule {}
    const app = await NestFactory.create(AsyncModule, { logger: ['error'], abortOnError: false });
    apps.push(app);
    await app.init();

    await app.get(CommandGateway).dispatch(new Add('async-audit', 2), { commandId: 'async-audit-1' });

    expect(app.get(AuditTrail).entries).toEqual(['Add async-audit-1']);
  });

  it('fails the start with a ConfigurationError naming a middleware class Nest cannot build', async () => {
    const error = await failure(createApp({ aggregates: [Tally], options: { commands: { middleware: [NeedsMissing] } } }));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('NeedsMissing');
  });

  it('gives process managers their constructor dependencies and persists only their state', async () => {
    const app = await createApp({
      aggregates: [Tally],
      processManagers: [Scaler],
      providers: [Multiplier, { provide: SCALING, useValue: { factor: 3 } }],
    });
    apps.push(app);
    const gateway = app.get(CommandGateway);
    const store = app.get<EventStore>(EventStore);
    const id = randomUUID();

    await gateway.dispatch(new Add(`scaled-${id}`, 2));
    await eventually(async () => expect((await store.readStream(`tally-scaled-copy-${id}`)).map((e) => e.data.by)).toEqual([6]));
    // A second event loads the saved instance: it has its dependencies again.
    await gateway.dispatch(new Add(`scaled-${id}`, 5));
    await eventually(async () => expect((await store.readStream(`tally-scaled-copy-${id}`)).map((e) => e.data.by)).toEqual([6, 15]));

    await eventually(async () => expect((await store.readSnapshot(`$pm-scaler-scaled-${id}`))?.data).toEqual({ $format: 'tagged/1', copied: 7 }));
  });

  it('runs a process manager with dependencies in a scenario, given its constructor arguments', async () => {
    const scaling = { factor: 2 };
    const scenario = ProcessManagerScenario.for(Scaler, { dependencies: [new Multiplier(scaling), scaling] });

    await scenario.given(new Added('scaled-s', 4));

    expect(scenario.commands()).toEqual([new Add('scaled-copy-s', 8)]);
    expect(await scenario.state('scaled-s')).toEqual({ copied: 4 });
  });

  it('fails the start with a ConfigurationError naming a process manager whose dependency is no provider', async () => {
    const error = await failure(createApp({ aggregates: [Tally], processManagers: [NeedsMissingProcess] }));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/NeedsMissingProcess .*#0 \(Missing\)/);
  });
});
