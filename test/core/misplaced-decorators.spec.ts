import { Injectable, type Type } from '@nestjs/common';
import {
  Aggregate,
  Apply,
  EventHandler,
  EventSourcingModule,
  Execute,
  isConfigurationError,
  On,
  OnBatch,
  ProcessManager,
  Projector,
  SkipReplay,
  StartedBy,
} from '../../lib/index.js';
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

  it('names @SkipReplay where it would skip nothing: off a handler, on a method that handles no event, on a process manager', async () => {
    @Injectable()
    @SkipReplay()
    class Bare {}
    const bare = await bootWith([Bare]);
    expect(isConfigurationError(bare)).toBe(true);
    expect(bare.message).toBe(
      `Bare has @SkipReplay but is no event handler or projector, so it skips nothing: it belongs on an @EventHandler or @Projector class or on one of their @On/@OnBatch methods`,
    );

    @Injectable()
    @EventHandler({ name: 'mails' })
    class Mails {
      @On(Incremented)
      incremented() {
        return undefined;
      }

      @SkipReplay()
      send() {
        return undefined;
      }
    }
    const stray = await bootWith([Mails]);
    expect(isConfigurationError(stray)).toBe(true);
    expect(stray.message).toBe(
      `@SkipReplay on Mails.send marks no @On or @OnBatch method, so it would skip nothing: put it on a handler method, or on the class`,
    );

    @SkipReplay()
    @ProcessManager({ name: 'replay-shy' })
    class ReplayShy {
      @StartedBy(Incremented, (event) => event.counterId)
      started() {
        return undefined;
      }
    }
    const managed = await bootError(
      [
        EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }),
        EventSourcingModule.forFeature({ aggregates: [Counter], processManagers: [ReplayShy] }),
      ],
      [],
    );
    expect(isConfigurationError(managed)).toBe(true);
    expect(managed.message).toMatch(
      /^@SkipReplay is for @EventHandler and @Projector classes and their @On\/@OnBatch methods; process manager ReplayShy/,
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
