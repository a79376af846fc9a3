import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { processStateStreamId } from '../../lib/process-managers/process-manager-delivery.js';
import { subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { waitForEvent } from '../../lib/testing/wait-for-event.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { eventually } from '../harness/eventually.js';
import { append, managerOn, stopAllManagers } from '../subscriptions/fixtures/subscription-fixtures.js';
import {
  CompleteTransfer,
  DepositMoney,
  MoneyWithdrawn,
  StoreDispatcher,
  TRANSFER_PROCESS,
  TransferCompleted,
  TransferProcess,
  TransferRequested,
  WithdrawMoney,
} from './fixtures/transfer-process.js';

const definition = () => subscriptionDefinitionOf(TransferProcess);

describe('process managers', () => {
  afterEach(stopAllManagers);

  it('starts, continues and stops an instance, carrying causation, correlation and metadata along', async () => {
    const store = new InMemoryEventStore();
    const dispatcher = new StoreDispatcher(store);
    const manager = managerOn(store, { dispatcher });
    await manager.start([definition()]);

    const requested = await append(store, 'transfer-t1', [new TransferRequested('t1', 'alice', 'bob', 30)], {
      correlationId: 'conversation-1',
      metadata: { tenant: 'acme' },
    });
    const completed = await waitForEvent(store, TransferCompleted);
    const chain = await Promise.all(['PmMoneyWithdrawn', 'PmMoneyDeposited'].map((type) => waitForEvent(store, type)));
    const [withdrawn, deposited] = chain;

    expect(withdrawn).toMatchObject({ streamId: 'account-alice', data: { amount: 30 }, causationId: requested.events[0].eventId });
    expect(deposited).toMatchObject({ streamId: 'account-bob', data: { amount: 30 }, causationId: withdrawn.eventId });
    expect(completed.causationId).toBe(deposited.eventId);
    for (const event of [withdrawn, deposited, completed]) {
      expect(event.correlationId).toBe('conversation-1');
      expect(event.metadata).toMatchObject({ tenant: 'acme' });
    }
    expect(dispatcher.dispatched.map((d) => d.command.constructor)).toEqual([WithdrawMoney, DepositMoney, CompleteTransfer]);

    await waitForHandler(store, TRANSFER_PROCESS, deposited.globalPosition);
    expect(await store.readSnapshot(processStateStreamId(TRANSFER_PROCESS, 't1'))).toBeUndefined();
    await manager.stop();
  });

  it.each([
    ['a continuing event when no instance exists', 'account-x', () => new MoneyWithdrawn('unknown', 'x', 5), 'unknown'],
    [
      'an event without a process id, even one that would start an instance',
      'transfer-none',
      () => new TransferRequested(undefined as unknown as string, 'a', 'b', 1),
      'undefined',
    ],
  ])('ignores %s', async (_, streamId, event, processId) => {
    const store = new InMemoryEventStore();
    const dispatcher = new StoreDispatcher(store);
    const manager = managerOn(store, { dispatcher });
    await manager.start([definition()]);
    const stray = await append(store, streamId, [event()]);
    await waitForHandler(store, TRANSFER_PROCESS, stray.globalPosition);
    expect(dispatcher.dispatched).toEqual([]);
    expect(await store.readSnapshot(processStateStreamId(TRANSFER_PROCESS, processId))).toBeUndefined();
    await manager.stop();
  });

  it('resumes an instance from its saved state after an application restart mid-process', async () => {
    const store = new InMemoryEventStore();
    // The first application cannot deposit: the process is stuck retrying its second step when it stops.
    const firstDispatcher = new StoreDispatcher(store, new Set([DepositMoney]));
    const first = managerOn(store, { dispatcher: firstDispatcher, settings: { retryDelay: 50, maxAttempts: 1000 } });
    await first.start([definition()]);
    const requested = await append(store, 'transfer-t2', [new TransferRequested('t2', 'carol', 'dave', 12)], { correlationId: 'c-2' });
    await eventually(() => expect(firstDispatcher.dispatched.filter((d) => d.command instanceof DepositMoney).length).toBeGreaterThan(1));
    await first.stop();

    const saved = await store.readSnapshot(processStateStreamId(TRANSFER_PROCESS, 't2'));
    expect(saved).toMatchObject({ streamVersion: requested.globalPosition, data: { to: 'dave', amount: 12, stage: 'withdrawing' } });
    expect(await store.readCheckpoint(TRANSFER_PROCESS)).toBe(requested.globalPosition);

    const secondDispatcher = new StoreDispatcher(store);
    const second = managerOn(store, { dispatcher: secondDispatcher });
    await second.start([definition()]);
    const completed = await waitForEvent(store, TransferCompleted);
    expect(completed.correlationId).toBe('c-2');
    const deposited = await waitForEvent(store, 'PmMoneyDeposited');
    expect(deposited).toMatchObject({ streamId: 'account-dave', data: { amount: 12 } });
    // The first step ran once in all: the restart did not start the process again.
    expect([...firstDispatcher.dispatched, ...secondDispatcher.dispatched].filter((d) => d.command instanceof WithdrawMoney)).toHaveLength(1);
    expect(secondDispatcher.dispatched.map((d) => d.command.constructor)).toEqual([DepositMoney, CompleteTransfer]);
    // A command sent again after a redelivery carries the id it had the first time.
    const depositIds = new Set(
      [...firstDispatcher.dispatched, ...secondDispatcher.dispatched]
        .filter((d) => d.command instanceof DepositMoney)
        .map((d) => d.options.commandId),
    );
    expect(depositIds.size).toBe(1);
    await second.stop();
  });

  it('skips a redelivered event whose state was saved before a crash kept the checkpoint from moving', async () => {
    const store = new InMemoryEventStore();
    const firstDispatcher = new StoreDispatcher(store, new Set([DepositMoney]));
    const first = managerOn(store, { dispatcher: firstDispatcher, settings: { retryDelay: 50, maxAttempts: 1000 } });
    await first.start([definition()]);
    const requested = await append(store, 'transfer-t3', [new TransferRequested('t3', 'erin', 'frank', 7)]);
    await waitForHandler(store, TRANSFER_PROCESS, requested.globalPosition);
    await first.stop();

    // As if the process died between saving the state and moving the checkpoint.
    const lease = await store.acquireSubscription(TRANSFER_PROCESS);
    await lease!.saveCheckpoint(0);
    await lease!.release();

    const secondDispatcher = new StoreDispatcher(store);
    const second = managerOn(store, { dispatcher: secondDispatcher });
    await second.start([definition()]);
    await waitForEvent(store, TransferCompleted);
    expect(firstDispatcher.dispatched.filter((d) => d.command instanceof WithdrawMoney)).toHaveLength(1);
    expect(secondDispatcher.dispatched.map((d) => d.command.constructor)).toEqual([DepositMoney, CompleteTransfer]);
    await second.stop();
  });
});
