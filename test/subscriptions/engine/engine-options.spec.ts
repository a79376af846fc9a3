import 'reflect-metadata';
import { EventHandler } from '../../../lib/decorators/event-handler.decorator.js';
import { On } from '../../../lib/decorators/on.decorator.js';
import { OnBatch } from '../../../lib/decorators/on-batch.decorator.js';
import { ProcessManager } from '../../../lib/decorators/process-manager.decorator.js';
import { StartedBy } from '../../../lib/decorators/process-step.decorator.js';
import { Projector } from '../../../lib/decorators/projector.decorator.js';
import type { HandlerSubscriptionOptions } from '../../../lib/decorators/subscription-options.js';
import { ConfigurationError } from '../../../lib/errors/configuration.error.js';
import { isInvalidOptions } from '../../../lib/errors/invalid-options.error.js';
import { InMemoryEventStore } from '../../../lib/event-store/memory/in-memory-event-store.js';
import { decideOnFailure, ErrorDecision } from '../../../lib/subscriptions/error-decision.js';
import { subscriptionDefinitionOf } from '../../../lib/subscriptions/subscription-definition.factory.js';
import { ItemAdded, managerOn, stopAllManagers } from '../fixtures/subscription-fixtures.js';

const handlerWith = (options: Partial<HandlerSubscriptionOptions>) => {
  @EventHandler({ name: 'h', ...options })
  class Handler {
    @On(ItemAdded)
    handle(): void {}
  }
  return new Handler();
};

describe('engine options', () => {
  afterEach(stopAllManagers);

  it('refuses a spread that cannot work, naming what to fix', () => {
    const refused = (options: Partial<HandlerSubscriptionOptions>) => () => subscriptionDefinitionOf(handlerWith(options));
    expect(refused({ spread: { partitions: 0 } })).toThrow(
      /'spread' must be \{ partitions: n \} with n an integer from 1 to 256, got \{"partitions":0\}/,
    );
    expect(refused({ spread: { partitions: 2.5 } })).toThrow(ConfigurationError);
    expect(refused({ spread: 8 as never })).toThrow(/'spread' must be \{ partitions: n \}/);
    expect(refused({ spread: { partitions: 8 }, partitionBy: () => 'x' })).toThrow(/partitioned by stream; remove 'partitionBy' or 'spread'/);
    expect(refused({ spread: { partitions: 8 }, consistency: 'strong' })).toThrow(/cannot be 'strong'/);
    @Projector({ name: 'inline-spread', inline: true, spread: { partitions: 2 } })
    class InlineSpread {
      @On(ItemAdded)
      take(): void {}
    }
    expect(() => subscriptionDefinitionOf(new InlineSpread())).toThrow(
      /an inline projector runs in each append, on the node that writes; remove 'spread' or 'inline'/,
    );
    expect(subscriptionDefinitionOf(handlerWith({ spread: { partitions: 8 }, concurrency: 4 })).metadata.spread).toEqual({ partitions: 8 });
  });

  it('refuses a spread subscription on the memory store, which processes cannot share', async () => {
    const definition = subscriptionDefinitionOf(handlerWith({ name: 'spread-on-memory', spread: { partitions: 4 } }));
    await expect(managerOn(new InMemoryEventStore()).start([definition])).rejects.toThrow(
      /'spread-on-memory': 'spread' needs a store that processes share \(postgres or embedded\)/,
    );
  });

  it('refuses engine options that cannot work, naming what to fix', () => {
    @Projector({ name: 'batch-parallel', concurrency: 2 })
    class BatchParallel {
      @OnBatch(ItemAdded)
      take(): void {}
    }
    @Projector({ name: 'both' })
    class Both {
      @On(ItemAdded)
      one(): void {}
      @OnBatch(ItemAdded)
      many(): void {}
    }
    @Projector({ name: 'empty-batch' })
    class EmptyBatch {
      @OnBatch()
      many(): void {}
    }
    @ProcessManager({ name: 'pm', partitionBy: () => 'x' } as HandlerSubscriptionOptions)
    class Partitioned {
      @StartedBy(ItemAdded, (event) => event.listId)
      start(): void {}
    }
    const cases: Array<[object, string]> = [
      [handlerWith({ concurrency: 0 }), "Handler: 'concurrency' must be an integer from 1 to 256, got 0"],
      [handlerWith({ concurrency: 2.5 }), "'concurrency' must be an integer from 1 to 256, got 2.5"],
      [handlerWith({ concurrency: 1000 }), "'concurrency' must be an integer from 1 to 256, got 1000"],
      [handlerWith({ partitionBy: 'streamId' as never }), "'partitionBy' must be a function (event, context) => string"],
      [handlerWith({ parkMode: 'all' as never }), "'parkMode' must be one of 'event', 'stream', got \"all\""],
      [new BatchParallel(), "BatchParallel: @OnBatch needs 'concurrency' 1"],
      [new Both(), 'Both has both @On and @OnBatch methods'],
      [new EmptyBatch(), '@OnBatch on EmptyBatch.many names no event classes'],
      [Partitioned, "Partitioned: a process manager is partitioned by process id; remove 'partitionBy'"],
    ];
    for (const [target, message] of cases) {
      expect(() => subscriptionDefinitionOf(target)).toThrow(ConfigurationError);
      expect(() => subscriptionDefinitionOf(target)).toThrow(message);
    }
  });

  it('refuses a bad parked-event selection or list option with InvalidOptionsError, changing nothing', async () => {
    const manager = managerOn(new InMemoryEventStore());
    const calls: Array<() => Promise<unknown>> = [
      () => manager.retryParked('h', [0]),
      () => manager.retryParked('h', 'everything' as never),
      () => manager.discardParked('h', [1.5]),
      () => manager.parked('h', { limit: 0 }),
      () => manager.parked('h', { after: -1 }),
    ];
    for (const call of calls) {
      const error = await Promise.resolve()
        .then(call)
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(isInvalidOptions(error)).toBe(true);
    }
  });

  it('decides on failures purely: the handler decision wins, else the static policy with backoff', () => {
    const settings = { errorPolicy: 'park' as const, maxAttempts: 3, retryDelay: 10 };
    expect(decideOnFailure(settings, 1)).toEqual(ErrorDecision.retry(10));
    expect(decideOnFailure(settings, 2)).toEqual(ErrorDecision.retry(20));
    expect(decideOnFailure(settings, 3)).toEqual(ErrorDecision.park);
    expect(decideOnFailure({ ...settings, errorPolicy: 'retry' }, 3)).toEqual(ErrorDecision.stop);
    expect(decideOnFailure({ ...settings, errorPolicy: 'skip' }, 1)).toEqual(ErrorDecision.skip);
    expect(decideOnFailure({ ...settings, errorPolicy: 'stop' }, 1)).toEqual(ErrorDecision.stop);
    expect(decideOnFailure(settings, 3, ErrorDecision.retry(5))).toEqual({ action: 'retry', delay: 5 });
    expect(decideOnFailure(settings, 1, ErrorDecision.skip)).toEqual(ErrorDecision.skip);
    expect(decideOnFailure(settings, 1, { action: 'explode' })).toEqual(ErrorDecision.retry(10));
    expect(decideOnFailure(settings, 1, undefined)).toEqual(ErrorDecision.retry(10));
  });
});
