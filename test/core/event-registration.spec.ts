import { Injectable, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Aggregate,
  Apply,
  CommandGateway,
  DomainEvent,
  EventSerializer,
  EventSourcingModule,
  EventStore,
  Execute,
  isUnregisteredEvent,
  On,
  Projector,
} from '../../lib/index.js';
import { failure } from '../fixtures/failure.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';

@DomainEvent('reg-opened')
class Opened {
  constructor(readonly ledgerId: string) {}
}

/** Named by a projector's @On only: readable at boot through the projector. */
@DomainEvent('reg-noted')
class Noted {
  constructor(readonly ledgerId: string) {}
}

/** Listed in forFeature({ events }) only. */
@DomainEvent('reg-tagged')
class Tagged {
  constructor(readonly ledgerId: string) {}
}

/** Decorated, but named by nothing a fresh process learns at boot. */
@DomainEvent('reg-audited')
class Audited {
  constructor(readonly ledgerId: string) {}
}

class Open {
  constructor(readonly ledgerId: string) {}
}
class Note {
  constructor(readonly ledgerId: string) {}
}
class Tag {
  constructor(readonly ledgerId: string) {}
}
class Audit {
  constructor(readonly ledgerId: string) {}
}

// Folds only Opened: its other events matter to readers, which is where registration is checked.
@Aggregate({ identity: 'ledgerId', prefix: 'ledger-', unhandledEvents: 'ignore' })
class Ledger {
  opened = false;

  @Execute(Open)
  open({ ledgerId }: Open) {
    return new Opened(ledgerId);
  }

  @Execute(Note)
  note({ ledgerId }: Note) {
    return new Noted(ledgerId);
  }

  @Execute(Tag)
  tag({ ledgerId }: Tag) {
    return new Tagged(ledgerId);
  }

  @Execute(Audit)
  audit({ ledgerId }: Audit) {
    return [new Opened(ledgerId), new Audited(ledgerId)];
  }

  @Apply(Opened)
  wasOpened() {
    this.opened = true;
  }
}

/** Registers Noted for reading through its @On, as the only class naming it. */
@Injectable()
@Projector({ name: 'reg-notes' })
class Notes {
  readonly noted: string[] = [];

  @On(Noted)
  onNoted(event: Noted) {
    this.noted.push(event.ledgerId);
  }
}

async function boot(store: EventStore): Promise<INestApplication> {
  @Module({
    imports: [
      EventSourcingModule.forRoot({ eventStore: store, subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 10 } }),
      EventSourcingModule.forFeature({ aggregates: [Ledger], events: [Tagged] }),
    ],
    providers: [Notes],
  })
  class LedgerApp {}
  const app = await NestFactory.create(LedgerApp, { logger: false, abortOnError: false });
  await app.init();
  return app;
}

describe.each(SHARED_STORES)('writing event classes on %s', (_name, open) => {
  let shared: SharedStore;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    shared = await open();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await shared.close();
  });

  it('refuses a decorated class that nothing registers for reading, writes nothing, and names the fix', async () => {
    const store = await shared.open();
    app = await boot(store);
    const error = await failure(app.get(CommandGateway).dispatch(new Audit('a')));
    expect(isUnregisteredEvent(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNREGISTERED_EVENT', eventClass: 'Audited', eventType: 'reg-audited' });
    expect(error.message).toContain(`event class Audited (stored as 'reg-audited') is not registered for reading`);
    expect(error.message).toContain('@Apply(Audited) to aggregate Ledger');
    expect(error.message).toContain('EventSourcingModule.forFeature({ events: [Audited] })');
    expect(await store.streamVersion('ledger-a')).toBe(0);
    expect(await store.headPosition()).toBe(0);
  });

  it('writes classes registered by @Apply, by @On alone, and by forFeature({ events })', async () => {
    const store = await shared.open();
    app = await boot(store);
    const gateway = app.get(CommandGateway);
    for (const command of [new Open('b'), new Note('b'), new Tag('b')]) await gateway.dispatch(command);
    expect(await store.streamVersion('ledger-b')).toBe(3);
  });
});

describe('a fresh application on the same PostgreSQL store', () => {
  const [, postgres] = SHARED_STORES.find(([name]) => name === 'postgres')!;
  let shared: SharedStore;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    shared = await postgres();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await shared.close();
  });

  it('reads everything the first one wrote', async () => {
    const first = await boot(await shared.open());
    apps.push(first);
    const gateway = first.get(CommandGateway);
    for (const command of [new Open('c'), new Note('c'), new Tag('c')]) await gateway.dispatch(command);
    // Refused now; before, it was written and no fresh process could load the ledger again.
    await gateway.dispatch(new Audit('c')).catch(() => undefined);
    await first.close();
    apps.pop();

    const second = await boot(await shared.open());
    apps.push(second);
    const state = await second.get(CommandGateway).dispatch<Ledger>(new Note('c'), { returning: 'aggregateState' });
    expect(state).toMatchObject({ opened: true });
    const store = second.get<EventStore>(EventStore);
    const stored = await store.readStream('ledger-c');
    expect(stored.map((e) => e.eventType)).toEqual(['reg-opened', 'reg-noted', 'reg-tagged', 'reg-noted']);
    const serializer = second.get(EventSerializer);
    expect(stored.map((recorded) => serializer.deserialize(recorded).constructor)).toEqual([Opened, Noted, Tagged, Noted]);
  });
});
