import type { INestApplication, Provider } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CommandGateway,
  type EventContext,
  EventHandler,
  EventStore,
  On,
  ProcessManager,
  Projector,
  StartedBy,
  SubscriptionManager,
} from '../../lib/index.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Add, Added, Tally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A strong read model that takes its time, so a wait that left it out would return before it has the change. */
@Projector({ name: 'forwarded-totals', consistency: 'strong' })
class ForwardedTotals {
  readonly totals = new Map<string, number>();

  @On(Added)
  async added({ tallyId, by }: Added) {
    await sleep(50);
    this.totals.set(tallyId, (this.totals.get(tallyId) ?? 0) + by);
  }
}

/** How a forwarder sends its command: through the injected gateway, or through the event's context. */
type Via = 'gateway' | 'context';

/** What a forwarder saw: the total of the strong projector right after its strong dispatch returned, or the error. */
interface Outcomes {
  attempts: number;
  observed: Array<number | undefined>;
  failures: unknown[];
}

/**
 * A handler that forwards the increments of one counter (the store is shared by the tests) to a
 * tally with a strong dispatch; `fails` throws after dispatching.
 */
function forwarderOf(name: string, counter: string, via: Via, options: { strong: boolean; fails: boolean }) {
  @Injectable()
  @EventHandler({ name, consistency: options.strong ? 'strong' : 'eventual', errorPolicy: 'retry' })
  class Forwarder {
    static readonly outcomes: Outcomes = { attempts: 0, observed: [], failures: [] };

    constructor(
      private readonly gateway: CommandGateway,
      private readonly totals: ForwardedTotals,
    ) {}

    @On(Incremented)
    async incremented({ counterId, by }: Incremented, context: EventContext) {
      if (counterId !== counter) return;
      const outcomes = Forwarder.outcomes;
      outcomes.attempts++;
      const command = new Add(`fwd-${counterId}`, by);
      try {
        if (via === 'gateway') await this.gateway.dispatch(command, { consistency: 'strong' });
        else await context.dispatch(command, { consistency: 'strong' });
        outcomes.observed.push(this.totals.totals.get(command.tallyId));
      } catch (error) {
        outcomes.failures.push(error);
        throw error;
      }
      if (options.fails) throw new Error('fails after dispatching');
    }
  }
  return Forwarder;
}

const STORES = SHARED_STORES.filter(([adapter]) => adapter !== 'embedded');

describe.each(STORES)('commands dispatched from handlers on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  const apps: INestApplication[] = [];

  const boot = async (providers: Provider[]) => {
    const app = await createApp({
      aggregates: [Counter, Tally],
      providers: [ForwardedTotals, ...providers],
      options: {
        eventStore: await shared.open(),
        commands: { timeout: 60_000 },
        subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 10, maxAttempts: 3 },
      },
    });
    apps.push(app);
    return { gateway: app.get(CommandGateway), store: app.get<EventStore>(EventStore), subscriptions: app.get(SubscriptionManager) };
  };

  beforeAll(async () => {
    shared = await sharedStore();
  });
  afterAll(() => shared.close());
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  describe.each<Via>(['gateway', 'context'])('through the %s', (via) => {
    it('lets a strong handler dispatch strongly: it does not wait for itself, but waits for the other strong projector', async () => {
      const counterId = randomUUID();
      const Forwarder = forwarderOf(`strong-forwarder-${via}`, counterId, via, { strong: true, fails: false });
      const { gateway, store } = await boot([Forwarder]);

      await gateway.dispatch(new Increment(counterId, 3), { consistency: 'strong' });

      const { outcomes } = Forwarder;
      expect(outcomes.failures).toEqual([]);
      // The strong projector had the forwarded command's event when the handler's dispatch returned.
      expect(outcomes.observed).toEqual([3]);
      expect((await store.readStream(`tally-fwd-${counterId}`)).map((e) => e.eventType)).toEqual(['TallyAdded']);
    });

    it('never sends a command again when a handler that dispatched it fails and is retried', async () => {
      const name = `failing-forwarder-${via}`;
      // Only the gateway path needs the handler to be strong: the context knows its handler anyway.
      const counterId = randomUUID();
      const Forwarder = forwarderOf(name, counterId, via, { strong: via === 'gateway', fails: true });
      const { gateway, store, subscriptions } = await boot([Forwarder]);

      await gateway.dispatch(new Increment(counterId, 4));

      await eventually(() => expect(subscriptions.status(name)?.state).toBe('stopped'));
      expect(Forwarder.outcomes.attempts).toBe(3);
      expect(Forwarder.outcomes.failures).toEqual([]);
      const forwarded = await store.readStream(`tally-fwd-${counterId}`);
      expect(forwarded.map((e) => e.data)).toEqual([{ tallyId: `fwd-${counterId}`, by: 4 }]);
      // The command carries its cause: the event the handler was handling.
      const [cause] = await store.readStream(`counter-${counterId}`);
      expect(forwarded[0]).toMatchObject({ causationId: cause.eventId, correlationId: cause.correlationId });
    });
  });
});

/** Copies each addition to a `strong-src-<x>` tally onto `strong-target-<x>`; a strong subscription itself. */
@ProcessManager({ name: 'strong-mirror', consistency: 'strong' })
class StrongMirror {
  copied = 0;

  @StartedBy(Added, (event) => (event.tallyId.startsWith('strong-src-') ? event.tallyId : undefined))
  copy({ tallyId, by }: Added) {
    this.copied += by;
    return new Add(tallyId.replace(/^strong-src-/, 'strong-target-'), by);
  }
}

describe.each(STORES)('commands of a strong process manager when strong is the default, on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  beforeAll(async () => {
    shared = await sharedStore();
  });
  afterAll(() => shared.close());

  it('do not wait for the process manager sending them', async () => {
    const app = await createApp({
      aggregates: [Tally],
      processManagers: [StrongMirror],
      options: { eventStore: await shared.open(), commands: { timeout: 60_000, consistency: 'strong' } },
    });
    try {
      const store = app.get<EventStore>(EventStore);
      const id = randomUUID();

      // Strong by default: returns once the process manager has handled the addition and sent its copy.
      await app.get(CommandGateway).dispatch(new Add(`strong-src-${id}`, 6));

      expect((await store.readStream(`tally-strong-target-${id}`)).map((e) => e.data.by)).toEqual([6]);
      expect((await store.readSnapshot(`$pm-strong-mirror-strong-src-${id}`))?.data).toEqual({ $format: 'tagged/1', copied: 6 });
    } finally {
      await app.close();
    }
  });
});
