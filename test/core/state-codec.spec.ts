import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AggregateReader, CommandGateway } from '../../lib/index.js';
import { eventually } from '../harness/eventually.js';
import { createApp } from '../fixtures/create-app.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { Money, OpenVault, PeekVault, StockVault, Vault } from '../fixtures/vault.js';

const STORES = SHARED_STORES.filter(([adapter]) => adapter !== 'embedded');

/** Every value of the state has the class it had when replayed from events. */
function expectRevived(state: Vault): void {
  expect(Object.getPrototypeOf(state)).toBe(Vault.prototype);
  expect(state.openedAt).toBeInstanceOf(Date);
  expect(state.items).toBeInstanceOf(Map);
  expect(Object.getPrototypeOf(state.items.get('apple'))).toBe(Money.prototype);
  expect(Object.getPrototypeOf(state.total)).toBe(Money.prototype);
  expect(state.total.plus(new Money(1n, 'EUR')).cents).toBe(501n);
  expect(state.letters).toBeInstanceOf(Set);
  expect(Object.keys(state)).toContain('lastItem');
}

describe.each(STORES)('aggregate state on the %s store', (_adapter, sharedStore) => {
  let shared: SharedStore;
  const apps: INestApplication[] = [];

  const boot = async () => {
    const store = await shared.open();
    const app = await createApp({ aggregates: [Vault], options: { eventStore: store, stateClasses: [Money] } });
    apps.push(app);
    return { app, store, gateway: app.get(CommandGateway), reader: app.get(AggregateReader) };
  };

  beforeAll(async () => {
    shared = await sharedStore();
  });
  afterAll(() => shared.close());
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const stockedVault = async () => {
    const id = randomUUID();
    const { gateway, store } = await boot();
    await gateway.dispatch(new OpenVault(id, '2030-01-02T03:04:05.678Z'));
    await gateway.dispatch(new StockVault(id, 'apple', 200));
    await gateway.dispatch(new StockVault(id, 'avocado', 300));
    await eventually(async () => expect((await store.readSnapshot(`vault-${id}`))?.streamVersion).toBe(3));
    return { id, store };
  };

  it('restores from a snapshot exactly the state replayed from events, classes included', async () => {
    const { id, store } = await stockedVault();
    const fromSnapshot = (await (await boot()).reader.load(Vault, id)).state;
    await store.deleteSnapshot(`vault-${id}`);
    const replayed = (await (await boot()).reader.load(Vault, id)).state;
    expect(fromSnapshot).toStrictEqual(replayed);
    expectRevived(fromSnapshot);
    expectRevived(replayed);
  });

  it('runs a command on a state restored from a snapshot as on a replayed one', async () => {
    const { id, store } = await stockedVault();
    const { gateway } = await boot();
    await gateway.dispatch(new StockVault(id, 'banana', 100));
    expect((await store.readStream(`vault-${id}`)).map((event) => event.eventType)).toEqual([
      'VaultOpened',
      'VaultStocked',
      'VaultStocked',
      'VaultStocked',
    ]);
  });

  it("returns the revived state with returning: 'aggregateState'", async () => {
    const { id } = await stockedVault();
    const { gateway, reader } = await boot();
    const returned = await gateway.dispatch<Vault>(new PeekVault(id), { returning: 'aggregateState' });
    expectRevived(returned);
    expect(returned).toStrictEqual((await reader.load(Vault, id)).state);
  });

  it('passes over a snapshot written as plain JSON by an older release and replays the events', async () => {
    const { id, store } = await stockedVault();
    await store.saveSnapshot({
      streamId: `vault-${id}`,
      streamVersion: 3,
      snapshotType: 'Vault',
      snapshotVersion: 1,
      data: { openedAt: '2030-01-02T03:04:05.678Z', items: {}, letters: {}, total: { cents: 999, currency: 'EUR' } },
    });
    const { reader } = await boot();
    const state = (await reader.load(Vault, id)).state;
    expectRevived(state);
    expect(state.total.cents).toBe(500n);
  });
});
