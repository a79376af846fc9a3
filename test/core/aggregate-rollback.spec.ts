import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AggregateReader,
  CommandGateway,
  EventStore,
  type ExecutionResult,
  isDomainError,
  isInvalidEvent,
  isPayloadTooLarge,
  isStoreUnavailable,
  StoreUnavailableError,
} from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { Credit, Debit, Ledger, Look } from '../fixtures/ledger.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';

const STORES = SHARED_STORES.filter(([adapter]) => adapter !== 'embedded');

describe.each(STORES)('a failed command on the %s store leaves only the stored fold', (_adapter, sharedStore) => {
  let shared: SharedStore;
  let app: INestApplication;
  let gateway: CommandGateway;
  let store: EventStore;
  let id: string;

  const live = async () => (await gateway.dispatch<Ledger>(new Look(id), { returning: 'aggregateState' })).balance;
  const stored = async () => (await app.get(AggregateReader).load(Ledger, id)).state.balance;
  const balances = async () => (await store.readStream(`ledger-${id}`)).map((event) => event.data.balance);

  beforeAll(async () => {
    shared = await sharedStore();
  });
  afterAll(() => shared.close());
  beforeEach(async () => {
    store = await shared.open();
    app = await createApp({ aggregates: [Ledger], options: { eventStore: store } });
    gateway = app.get(CommandGateway);
    id = randomUUID();
    await gateway.dispatch(new Credit(id, 100));
  });
  afterEach(() => app.close());

  it('forgets what a command changed before it threw', async () => {
    const error = await failure(gateway.dispatch(new Debit(id, 30, 'crash')));
    expect(error.message).toMatch(/crashed after changing the balance/);
    expect(await live()).toBe(100);
    await gateway.dispatch(new Debit(id, 30));
    expect(await balances()).toEqual([100, 70]);
    expect(await stored()).toBe(70);
  });

  it('forgets what a command changed before a domain error', async () => {
    const error = await failure(gateway.dispatch(new Debit(id, 1_000_099)));
    expect(isDomainError(error)).toBe(true);
    expect(await live()).toBe(100);
    await gateway.dispatch(new Debit(id, 30));
    expect(await balances()).toEqual([100, 70]);
  });

  it('forgets what a command changed before its event was refused as unstorable', async () => {
    const error = await failure(gateway.dispatch(new Debit(id, 30, 'unstorable')));
    expect(isInvalidEvent(error)).toBe(true);
    expect(await live()).toBe(100);
    await gateway.dispatch(new Debit(id, 30));
    expect(await balances()).toEqual([100, 70]);
  });

  it('forgets what a command changed before the store refused its oversize event', async () => {
    const error = await failure(gateway.dispatch(new Debit(id, 30, 'none', 'x'.repeat(1024 * 1024 + 1))));
    expect(isPayloadTooLarge(error)).toBe(true);
    expect(await live()).toBe(100);
    await gateway.dispatch(new Debit(id, 30));
    expect(await balances()).toEqual([100, 70]);
  });

  it('forgets what a command changed before the store failed the append', async () => {
    const append = store.appendToStream.bind(store);
    store.appendToStream = async () => {
      store.appendToStream = append;
      throw new StoreUnavailableError('the store went away');
    };
    const error = await failure(gateway.dispatch(new Debit(id, 30)));
    expect(isStoreUnavailable(error)).toBe(true);
    expect(await live()).toBe(100);
    await gateway.dispatch(new Debit(id, 30));
    expect(await balances()).toEqual([100, 70]);
  });

  it('forgets what a command changed when it succeeded with no event', async () => {
    const result = await gateway.dispatch<ExecutionResult>(new Debit(id, 30, 'silent'), { returning: 'executionResult' });
    expect(result.events).toEqual([]);
    expect(await live()).toBe(100);
    await gateway.dispatch(new Debit(id, 30));
    expect(await balances()).toEqual([100, 70]);
  });

  it('answers a command that produced no event with the stored state, not what its handler changed', async () => {
    const result = await gateway.dispatch<Ledger>(new Debit(id, 30, 'silent'), { returning: 'aggregateState' });
    expect(result.balance).toBe(100);
  });

  it('runs the retry after a conflicting write on the stored fold, not on the first attempt', async () => {
    // Another process credits 50 while this instance is cached at version 1.
    const other = await shared.open();
    await other.appendToStream(`ledger-${id}`, 1, [
      { eventId: randomUUID(), eventType: 'LedgerCredited', data: { ledgerId: id, amount: 50, balance: 150 } },
    ]);
    await gateway.dispatch(new Debit(id, 10));
    expect(await balances()).toEqual([100, 150, 140]);
    expect(await live()).toBe(140);
    expect(await stored()).toBe(140);
  });
});
