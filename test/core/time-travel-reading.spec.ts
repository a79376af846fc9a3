import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AggregateReader, CommandGateway, type EventStore, FORGOTTEN } from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Issue, Punch, TimeCard, upcasters } from '../fixtures/time-card.js';

describe.each(SHARED_STORES)('a past state read through upcasters, aliases and forgotten data on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  let store: EventStore;
  let app: INestApplication;

  beforeAll(async () => {
    shared = await sharedStore();
    store = await shared.open();
    app = await createApp({ aggregates: [TimeCard], options: { eventStore: store, upcasters } });
  });
  afterAll(async () => {
    await app?.close();
    await shared.close();
  });

  it('reads each event as a current load does: old shapes upcast, old names aliased, forgotten fields as their placeholder', async () => {
    const id = randomUUID();
    const load = (version?: number) => app.get(AggregateReader).load(TimeCard, id, version === undefined ? {} : { at: { version } });
    await app.get(CommandGateway).dispatch(new Issue(id, 'Ottilie Vanbrugh'));
    await store.appendToStream(`card-${id}`, 1, [{ eventId: randomUUID(), eventType: 'CardStamped', data: { cardId: id, hours: 2 } }]);
    await app.get(CommandGateway).dispatch(new Punch(id, 30));
    expect(await load(2)).toEqual({ state: expect.objectContaining({ holder: 'Ottilie Vanbrugh', minutes: 120 }), version: 2 });
    expect(await load(3)).toEqual(await load());

    await store.subjectKeys!.forget(id);
    expect(await load(1)).toEqual({ state: expect.objectContaining({ holder: FORGOTTEN, minutes: 0 }), version: 1 });
    expect(await load(3)).toEqual({ state: expect.objectContaining({ holder: FORGOTTEN, minutes: 150 }), version: 3 });
    expect(JSON.stringify(await load(2))).not.toContain('Ottilie');
  });
});
