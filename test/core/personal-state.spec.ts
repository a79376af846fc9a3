import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import { AggregateManager } from '../../lib/aggregates/aggregate-manager.js';
import { eventually } from '../harness/eventually.js';
import { AggregateReader, CommandGateway, DataSubjects, EventStore, FORGOTTEN } from '../../lib/index.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { createApp } from '../fixtures/create-app.js';
import { Concierge, ConciergeNotes, Enrol, Patron, Reward } from '../fixtures/patrons.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { dumpOf } from '../fixtures/store-dump.js';
import { bootError } from '../fixtures/boot-error.js';
import { Aggregate, EventSourcingModule, InMemoryEventStore, ProcessManager } from '../../lib/index.js';

const profileOf = (id: string) => ({ name: `Ottoline Vasquez-${id}`, email: `ottoline.${id}@example.test` });

describe.each(SHARED_STORES)('personal data in snapshots and process-manager state on the %s store', (name, open) => {
  let shared: SharedStore;
  let store: EventStore;
  let app: INestApplication;

  beforeEach(async () => {
    shared = await open();
    store = await shared.open();
    app = await createApp({ options: { eventStore: store }, aggregates: [Patron], processManagers: [Concierge], providers: [ConciergeNotes] });
  });
  afterEach(async () => {
    await app?.close();
    await shared?.close();
  });

  it('keeps declared state fields sealed at rest and reads them as forgotten after a forget, even where the snapshot is the only copy left', async () => {
    const gateway = app.get(CommandGateway);
    const reader = app.get(AggregateReader);
    const notes = app.get(ConciergeNotes);
    for (const id of ['p0', 'p1']) {
      await gateway.dispatch(new Enrol(id, profileOf(id)));
      await gateway.dispatch(new Reward(id, 5));
    }
    await waitForHandler(store, 'concierge', await store.headPosition());
    expect(notes.seen.get('p0')).toEqual([profileOf('p0')]);
    expect((await reader.load(Patron, 'p0')).state).toMatchObject({ profile: profileOf('p0'), points: 5 });
    await expect(store.readSnapshot('patron-p0')).resolves.toMatchObject({ streamVersion: 2 });

    // Closing p0's books: its snapshot becomes the only copy of the profile the state holds.
    await store.truncateStream('patron-p0', 2);
    const sealedDump = await dumpOf(store, shared.schema, name.startsWith('postgres'));
    expect(sealedDump).toContain('patron-p0');
    for (const id of ['p0', 'p1']) {
      expect(sealedDump).not.toContain(profileOf(id).name);
      expect(sealedDump).not.toContain(profileOf(id).email);
    }

    await app.get(DataSubjects).forget('p0');

    expect((await reader.load(Patron, 'p0')).state).toMatchObject({ patronId: 'p0', profile: FORGOTTEN, points: 5 });
    expect((await reader.load(Patron, 'p1')).state).toMatchObject({ profile: profileOf('p1'), points: 5 });
    // The live instance was dropped by the forget: the next command runs on the state as the store gives it.
    const state = await gateway.dispatch<Patron>(new Reward('p0', 1), { returning: 'aggregateState' });
    expect(state).toMatchObject({ profile: FORGOTTEN, points: 6 });
    await gateway.dispatch(new Reward('p1', 1));
    await waitForHandler(store, 'concierge', await store.headPosition());
    expect(notes.seen.get('p0')).toEqual([profileOf('p0'), FORGOTTEN]);
    expect(notes.seen.get('p1')).toEqual([profileOf('p1'), profileOf('p1')]);
  });
});

describe('declaring personal state', () => {
  it('refuses a malformed declaration on an aggregate or a process manager at boot', async () => {
    @Aggregate({ identity: 'id', personal: { subject: 'id', fields: ['id'] } })
    class SelfNamed {}
    @ProcessManager({ name: 'nameless', personal: { subject: 'patronId', fields: [] } })
    class Nameless extends Concierge {}
    const aggregateError = await bootError([
      EventSourcingModule.forRoot({ eventStore: new InMemoryEventStore() }),
      EventSourcingModule.forFeature({ aggregates: [SelfNamed] }),
    ]);
    expect(aggregateError).toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining(
        "@Aggregate on SelfNamed declares personal data wrongly: the subject field 'id' cannot also be a personal field",
      ),
    });
    const managerError = await bootError(
      [EventSourcingModule.forRoot({ eventStore: new InMemoryEventStore() }), EventSourcingModule.forFeature({ processManagers: [Nameless] })],
      [ConciergeNotes],
    );
    expect(managerError).toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining("@ProcessManager on Nameless: declares personal data wrongly: 'fields' must list"),
    });
  });

  it('takes no snapshot, and stores nothing in clear, when the state names no subject for its personal fields', async () => {
    @Aggregate({ identity: 'patronId', prefix: 'anon-', snapshotEvery: 1, personal: { subject: 'owner', fields: ['profile'] } })
    class Anonymous extends Patron {}
    const app = await createApp({ aggregates: [Anonymous] });
    try {
      const store = app.get<EventStore>(EventStore);
      await app.get(CommandGateway).dispatch(new Enrol('a1', profileOf('a1')));
      await app.get(CommandGateway).dispatch(new Reward('a1', 1));
      expect(await store.readSnapshot('anon-a1')).toBeUndefined();
      expect((await app.get(AggregateReader).load(Anonymous, 'a1')).state).toMatchObject({ profile: profileOf('a1'), points: 1 });
    } finally {
      await app.close();
    }
  });
});

describe('a forget heard by another node', () => {
  let shared: SharedStore;
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await shared?.close();
  });

  it('drops that node’s live instances naming the person, so its next command no longer answers from memory', async () => {
    shared = await SHARED_STORES.find(([name]) => name === 'postgres')![1]();
    const pubsub = { transport: Transport.REDIS, options: { host: '127.0.0.1', port: 6379 }, channelPrefix: `forget-${randomUUID()}:` } as const;
    for (const nodeName of ['a', 'b']) {
      const store = await shared.open();
      apps.push(
        await createApp({
          options: { eventStore: store, pubsub, nodeName },
          aggregates: [Patron],
          processManagers: [Concierge],
          providers: [ConciergeNotes],
        }),
      );
    }
    const [a, b] = apps;
    await a.get(CommandGateway).dispatch(new Enrol('p0', profileOf('p0')));
    const before = await b.get(CommandGateway).dispatch<Patron>(new Reward('p0', 1), { returning: 'aggregateState' });
    expect(before.profile).toEqual(profileOf('p0'));
    expect(b.get(AggregateManager).peek('patron-p0')).toBeDefined();

    await a.get(DataSubjects).forget('p0');

    await eventually(() => expect(b.get(AggregateManager).peek('patron-p0')).toBeUndefined());
    const after = await b.get(CommandGateway).dispatch<Patron>(new Reward('p0', 1), { returning: 'aggregateState' });
    expect(after).toMatchObject({ profile: FORGOTTEN, points: 2 });
  });
});
