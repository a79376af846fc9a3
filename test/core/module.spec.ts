import { Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Aggregate,
  Apply,
  CommandGateway,
  EventSourcingHealth,
  EventSourcingModule,
  type EventSourcingModuleOptions,
  EventStore,
  Execute,
  InMemoryEventStore,
  isConfigurationError,
  isInvalidOptions,
  On,
  Projector,
  Tenants,
} from '../../lib/index.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { bootError } from '../fixtures/boot-error.js';
import { createApp } from '../fixtures/create-app.js';

@Injectable()
class StoreConfig {
  readonly store = new InMemoryEventStore();
  options(): EventSourcingModuleOptions {
    return { eventStore: this.store };
  }
}

@Module({ providers: [StoreConfig], exports: [StoreConfig] })
class ConfigModule {}

describe('EventSourcingModule', () => {
  const runsCounter = async (rootImport: unknown) => {
    @Module({ imports: [rootImport as never, EventSourcingModule.forFeature({ aggregates: [Counter] })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await app.get(CommandGateway).dispatch(new Increment('mod'));
    const version = await app.get<EventStore>(EventStore).streamVersion('counter-mod');
    await app.close();
    return version;
  };

  it('configures with forRootAsync useFactory and inject', async () => {
    const root = EventSourcingModule.forRootAsync({
      imports: [ConfigModule],
      inject: [StoreConfig],
      useFactory: (config: StoreConfig) => config.options(),
    });
    expect(await runsCounter(root)).toBe(1);
  });

  it('runs in cluster mode with options supplied by forRootAsync', async () => {
    const root = EventSourcingModule.forRootAsync({
      useFactory: async (): Promise<EventSourcingModuleOptions> => ({
        eventStore: { adapter: 'memory' },
        registry: 'global',
        pubsub: 'global',
        cluster: { nodeName: 'async-node', listen: { host: '127.0.0.1', port: 0 }, heartbeatInterval: 100 },
      }),
    });
    @Module({ imports: [root, EventSourcingModule.forFeature({ aggregates: [Counter] })] })
    class ClusterAppModule {}
    const app = await NestFactory.createApplicationContext(ClusterAppModule, { logger: false });
    try {
      await app.get(CommandGateway).dispatch(new Increment('async'));
      const status = app.get(EventSourcingHealth).status();
      expect(status.node).toBe('async-node');
      expect(status.cluster?.members.map((m) => m.name)).toEqual(['async-node']);
      expect(await app.get<EventStore>(EventStore).streamVersion('counter-async')).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('serves tenants with options supplied by forRootAsync', async () => {
    const root = EventSourcingModule.forRootAsync({
      useFactory: async (): Promise<EventSourcingModuleOptions> => ({ eventStore: { adapter: 'memory' }, tenants: { initial: ['acme'] } }),
    });
    @Module({ imports: [root, EventSourcingModule.forFeature({ aggregates: [Counter] })] })
    class TenantAppModule {}
    const app = await NestFactory.createApplicationContext(TenantAppModule, { logger: false });
    try {
      const gateway = app.get(CommandGateway);
      expect(await gateway.dispatch(new Increment('c1'), { tenant: 'acme', returning: 'aggregateVersion' })).toBe(1);
      expect(app.get(Tenants).running()).toEqual(['acme']);
    } finally {
      await app.close();
    }
  });

  it('configures with forRootAsync useClass', async () => {
    @Injectable()
    class OptionsFactory {
      create(): EventSourcingModuleOptions {
        return { eventStore: { adapter: 'memory' } };
      }
    }
    expect(await runsCounter(EventSourcingModule.forRootAsync({ useClass: OptionsFactory }))).toBe(1);
  });

  it('configures with forRootAsync useExisting', async () => {
    @Injectable()
    class ExistingFactory {
      create(): EventSourcingModuleOptions {
        return { eventStore: { adapter: 'memory' } };
      }
    }
    @Module({ providers: [ExistingFactory], exports: [ExistingFactory] })
    class FactoryModule {}
    expect(await runsCounter(EventSourcingModule.forRootAsync({ imports: [FactoryModule], useExisting: ExistingFactory }))).toBe(1);
  });

  it('fails boot with a message naming a bad option', async () => {
    const error = await bootError([EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' }, registry: 'mesh' as never })]);
    expect(isInvalidOptions(error)).toBe(true);
    expect(error.message).toMatch(/'registry' must be one of 'local', 'global', got "mesh"/);
  });

  it('fails boot in cluster mode without the cluster options, saying what they are', async () => {
    const error = await bootError([EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' }, registry: 'global' })]);
    expect(isInvalidOptions(error)).toBe(true);
    expect(error.message).toMatch(/'cluster' is required with 'registry' 'global': \{ listen: \{ host, port \}/);
  });

  it('fails boot when two aggregates claim one command', async () => {
    @Aggregate({ identity: 'counterId' })
    class Rival {
      @Execute(Increment)
      increment() {
        return [];
      }
    }
    const error = await bootError([
      EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }),
      EventSourcingModule.forFeature({ aggregates: [Counter, Rival] }),
    ]);
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/Command Increment is handled by both Counter and Rival/);
  });

  it('fails boot when @Execute names no class', async () => {
    const error = await bootError([
      EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }),
      EventSourcingModule.forFeature({ aggregates: [brokenAggregate()] }),
    ]);
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/@Execute on Broken.handle names no command class/);
  });

  it('fails boot when an applied or handled event lacks @DomainEvent', async () => {
    class NotAnEvent {}
    @Aggregate({ identity: 'id' })
    class Sloppy {
      @Apply(NotAnEvent)
      applied() {}
    }
    const aggregateError = await bootError([
      EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }),
      EventSourcingModule.forFeature({ aggregates: [Sloppy] }),
    ]);
    expect(aggregateError.message).toMatch(/@Apply on Sloppy.applied names NotAnEvent, which has no @DomainEvent decorator/);

    @Projector({ name: 'sloppy' })
    class SloppyProjector {
      @On(NotAnEvent)
      handle() {}
    }
    const projectorError = await bootError([EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } })], [SloppyProjector]);
    expect(isConfigurationError(projectorError)).toBe(true);
    expect(projectorError.message).toMatch(/NotAnEvent, which has no @DomainEvent/);
  });

  it('fails boot when two subscriptions share a name', async () => {
    @Projector({ name: 'twin' })
    class A {
      @On(Incremented)
      handle() {}
    }
    @Projector({ name: 'twin' })
    class B {
      @On(Incremented)
      handle() {}
    }
    const error = await bootError([EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } })], [A, B]);
    expect(error.message).toMatch(/Two subscriptions are named 'twin'/);
  });

  it('does not close a store instance it was given', async () => {
    const store = new InMemoryEventStore();
    let closed = false;
    store.close = async () => void (closed = true);
    const app = await createApp({ aggregates: [Counter], options: { eventStore: store } });
    await app.close();
    expect(closed).toBe(false);
  });
});

function brokenAggregate() {
  const missing = undefined as unknown as Type;
  @Aggregate({ identity: 'id' })
  class Broken {
    @Execute(missing)
    handle() {
      return [];
    }
  }
  return Broken;
}
