import { Injectable, type Type } from '@nestjs/common';
import { Aggregate, Apply, EventSourcingModule, Execute, isConfigurationError, On, OnBatch, Projector, StartedBy } from '../../lib/index.js';
import { bootError } from '../fixtures/boot-error.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';

/** The error an application with these providers and aggregates fails to boot with. */
const bootWith = (providers: Type[], aggregates: Type[] = [Counter]) =>
  bootError([EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }), EventSourcingModule.forFeature({ aggregates })], providers);

describe('decorators in the wrong place fail the boot', () => {
  it('names a provider with @On methods but no @EventHandler, @Projector or @ProcessManager', async () => {
    @Injectable()
    class Undecorated {
      @On(Incremented)
      incremented() {
        return undefined;
      }
    }
    const error = await bootWith([Undecorated]);
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toBe(
      `Undecorated has @On methods but no @EventHandler, @Projector or @ProcessManager decorator, so they would never run: decorate the class with @EventHandler({ name }) or @Projector({ name })`,
    );
  });

  it('names a provider with @OnBatch or process-manager steps but no class decorator', async () => {
    @Injectable()
    class Batched {
      @OnBatch(Incremented)
      page() {
        return undefined;
      }
    }
    expect((await bootWith([Batched])).message).toMatch(/^Batched has @OnBatch methods but no @EventHandler, @Projector or @ProcessManager/);

    @Injectable()
    class Stepped {
      @StartedBy(Incremented, (event) => event.counterId)
      started() {
        return undefined;
      }
    }
    const error = await bootWith([Stepped]);
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(
      /^Stepped has @StartedBy\/@ContinuedBy\/@StoppedBy methods but no @ProcessManager decorator.*forFeature\(\{ processManagers: \[Stepped\] \}\)/,
    );
  });

  it('names an aggregate provided as a Nest provider instead of listed in forFeature', async () => {
    @Injectable()
    @Aggregate({ identity: 'counterId' })
    class Provided {
      @Execute(Increment)
      increment() {
        return [];
      }
    }
    const error = await bootWith([Provided], []);
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toBe(
      `Provided has @Execute/@Apply methods but is not an aggregate of this application: list it in EventSourcingModule.forFeature({ aggregates: [Provided] }) (aggregates are not Nest providers)`,
    );
  });

  it('names @Apply on a projector and @On on an aggregate', async () => {
    @Injectable()
    @Projector({ name: 'mixed-up' })
    class MixedUp {
      @On(Incremented)
      incremented() {
        return undefined;
      }

      @Apply(Incremented)
      applied() {
        return undefined;
      }
    }
    expect((await bootWith([MixedUp])).message).toMatch(/^MixedUp has @Execute\/@Apply methods but is not an aggregate/);

    @Aggregate({ identity: 'counterId' })
    class Listening {
      @Execute(Increment)
      increment() {
        return [];
      }

      @On(Incremented)
      heard() {
        return undefined;
      }
    }
    const error = await bootWith([], [Listening]);
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toBe(
      `Aggregate Listening has @On methods, which never run on an aggregate: fold its own events with @Apply, and react to events in an @EventHandler or @Projector provider`,
    );
  });
});
