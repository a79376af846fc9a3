import type { INestApplication } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Aggregate,
  AggregateReader,
  Apply,
  CommandGateway,
  DomainEvent,
  EventSourcingModule,
  type EventStore,
  Execute,
  InMemoryEventStore,
  isConfigurationError,
  On,
  Projector,
} from '../../lib/index.js';
import { bootError } from '../fixtures/boot-error.js';
import { createApp } from '../fixtures/create-app.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { eventually } from '../harness/eventually.js';

/** Once stored as `PiggyFilled` { amount } (schema 1); renamed, counted in cents (2), then labelled (3). */
@DomainEvent('PiggyCredited', { version: 3, aliases: ['PiggyFilled'] })
class Credited {
  constructor(
    readonly piggyId: string,
    readonly cents: number,
    readonly label: string,
  ) {}
}

class Credit {
  constructor(
    readonly piggyId: string,
    readonly cents: number,
  ) {}
}

@Aggregate({ identity: 'piggyId', prefix: 'piggy-' })
class Piggy {
  cents = 0;
  labels: string[] = [];

  @Execute(Credit)
  credit({ piggyId, cents }: Credit) {
    return new Credited(piggyId, cents, 'new');
  }

  @Apply(Credited)
  credited({ cents, label }: Credited) {
    this.cents += cents;
    this.labels.push(label);
  }
}

@Injectable()
@Projector({ name: 'piggy-credits' })
class Credits {
  readonly seen: Array<[string, number, string]> = [];

  @On(Credited)
  credited(event: Credited) {
    this.seen.push([event.constructor.name, event.cents, event.label]);
  }
}

const upcasters = [
  // The rename: the chain goes on under the new name.
  {
    eventType: 'PiggyFilled',
    fromVersion: 1,
    toEventType: 'PiggyCredited',
    upcast: (data: any) => ({ piggyId: data.piggyId, cents: data.amount * 100 }),
  },
  { eventType: 'PiggyCredited', fromVersion: 2, upcast: (data: any) => ({ ...data, label: 'old' }) },
];

describe.each(SHARED_STORES)('a renamed event type on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  let store: EventStore;
  let app: INestApplication;

  beforeAll(async () => {
    shared = await sharedStore();
    store = await shared.open();
  });
  afterAll(() => shared.close());
  afterEach(() => app?.close());

  it('loads old streams into the renamed class, for aggregates and subscriptions, and writes the new name', async () => {
    const id = randomUUID();
    const old = (amount: number) => ({
      eventId: randomUUID(),
      eventType: 'PiggyFilled',
      data: { piggyId: id, amount },
      metadata: { schemaVersion: 1 },
    });
    await store.appendToStream(`piggy-${id}`, 0, [old(1), old(2)]);
    app = await createApp({ aggregates: [Piggy], providers: [Credits], options: { eventStore: store, upcasters } });
    expect((await app.get(AggregateReader).load(Piggy, id)).state).toMatchObject({ cents: 300, labels: ['old', 'old'] });
    await app.get(CommandGateway).dispatch(new Credit(id, 5));
    expect((await store.readStream(`piggy-${id}`)).map((event) => event.eventType)).toEqual(['PiggyFilled', 'PiggyFilled', 'PiggyCredited']);
    await eventually(() =>
      expect(app.get(Credits).seen).toEqual([
        ['Credited', 100, 'old'],
        ['Credited', 200, 'old'],
        ['Credited', 5, 'new'],
      ]),
    );
  });
});

describe('event type aliases at boot', () => {
  @DomainEvent('PiggyEmptied', { aliases: ['PiggyCredited'] })
  class Emptied {}

  @Injectable()
  @Projector({ name: 'piggy-clash' })
  class Clash {
    @On(Credited) credited() {}
    @On(Emptied) emptied() {}
  }

  it('fails the boot when an alias is another class name', async () => {
    const error = await bootError(
      [EventSourcingModule.forRoot({ eventStore: new InMemoryEventStore() }), EventSourcingModule.forFeature({ aggregates: [] })],
      [Clash],
    );
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/'PiggyCredited' is declared by both/);
  });
});
