import { CommandGateway, type CommandMiddleware, InMemoryEventStore } from '../../lib/index.js';
import { OpenAccount } from '../../sample/accounts/account.commands.js';
import { BankAccount } from '../../sample/accounts/bank-account.aggregate.js';
import { RequestTransfer } from '../../sample/transfers/transfer.commands.js';
import { TransferMoney } from '../../sample/transfers/transfer-money.process-manager.js';
import { Transfer } from '../../sample/transfers/transfer.aggregate.js';
import { createApp } from '../fixtures/create-app.js';
import { eventually } from '../harness/eventually.js';

const hasEvent = async (store: InMemoryEventStore, streamId: string, eventType: string) =>
  expect((await store.readStream(streamId)).map((e) => e.eventType)).toContain(eventType);

const bank = (store: InMemoryEventStore, middleware: CommandMiddleware[] = []) =>
  createApp({
    aggregates: [BankAccount, Transfer],
    processManagers: [TransferMoney],
    options: {
      eventStore: store,
      commands: { middleware },
      subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 20, maxAttempts: 1000 },
    },
  });

describe('process manager across an application restart', () => {
  it('resumes a transfer interrupted between withdrawal and deposit, moving the money exactly once', async () => {
    const store = new InMemoryEventStore();
    // The first instance cannot deposit: the transfer stops half way, with the money withdrawn.
    let refusedDeposits = 0;
    const first = await bank(store, [
      {
        beforeDispatch: ({ commandName }) => {
          if (commandName === 'DepositMoney') throw new Error(`deposits are down (${++refusedDeposits})`);
        },
      },
    ]);
    const gateway = first.get(CommandGateway);
    await gateway.dispatch(new OpenAccount('alice', 100));
    await gateway.dispatch(new OpenAccount('bob', 0));
    await gateway.dispatch(new RequestTransfer('t1', 'alice', 'bob', 30), { commandId: 'transfer-command' });
    await eventually(() => hasEvent(store, 'account-alice', 'MoneyWithdrawn'));
    // The deposit was tried, refused and tried again: the process manager keeps at it, in vain.
    await eventually(() => expect(refusedDeposits).toBeGreaterThanOrEqual(2));
    expect(await store.readStream('account-bob')).toHaveLength(1);
    expect((await store.readSnapshot('$pm-transfer-money-t1'))?.data).toMatchObject({ from: 'alice', to: 'bob', amount: 30 });
    await first.close();

    const second = await bank(store);
    await eventually(() => hasEvent(store, 'transfer-t1', 'TransferCompleted'));
    await second.close();

    const alice = await store.readStream('account-alice');
    const bob = await store.readStream('account-bob');
    expect(alice.map((e) => e.eventType)).toEqual(['AccountOpened', 'MoneyWithdrawn']);
    expect(alice[1].data).toMatchObject({ amount: 30, balance: 70, transferId: 't1' });
    expect(bob.map((e) => e.eventType)).toEqual(['AccountOpened', 'MoneyDeposited']);
    expect(bob[1].data).toMatchObject({ amount: 30, balance: 30, transferId: 't1' });
    // One conversation: every event of the transfer carries the request's correlation id.
    const [requested] = await store.readStream('transfer-t1');
    for (const event of [requested, alice[1], bob[1]]) expect(event.correlationId).toBe('transfer-command');
    expect(alice[1].causationId).toBe(requested.eventId);
    expect(await store.readSnapshot('$pm-transfer-money-t1')).toBeUndefined();
  });
});
