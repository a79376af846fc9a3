import { ConfigurationError } from '../../lib/errors/configuration.error.js';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { eventually } from '../harness/eventually.js';
import { subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';
import { TransferProcess } from '../process-managers/fixtures/transfer-process.js';

describe('SubscriptionManager', () => {
  afterEach(stopAllManagers);

  it('refuses two subscriptions with one name and starts none of them', async () => {
    const manager = managerOn(new InMemoryEventStore());
    const name = uniqueName('twice');
    const start = manager.start([
      recordingHandler({ name: uniqueName('other') }).definition,
      recordingHandler({ name }).definition,
      recordingHandler({ name }).definition,
    ]);
    await expect(start).rejects.toThrow(new ConfigurationError(`Two subscriptions are named '${name}'; names must be unique`));
    expect(manager.statuses()).toEqual([]);
  });

  it('refuses a process manager when no command dispatcher is given', async () => {
    const manager = managerOn(new InMemoryEventStore());
    await expect(manager.start([subscriptionDefinitionOf(TransferProcess)])).rejects.toThrow(
      "Process manager 'pm-test-transfer' needs a command dispatcher to send its commands",
    );
    expect(manager.statuses()).toEqual([]);
  });

  it('reports a status per subscription, standby while another process holds it', async () => {
    const store = new InMemoryEventStore();
    const held = uniqueName('held');
    const free = uniqueName('free');
    const lease = await store.acquireSubscription(held);
    const manager = managerOn(store);
    await manager.start([recordingHandler({ name: held }).definition, recordingHandler({ name: free }, () => undefined, 'projector').definition]);
    await eventually(() => expect(manager.status(free)?.state).toBe('running'));
    expect(manager.statuses()).toEqual([
      { name: held, kind: 'handler', state: 'standby', position: 0 },
      { name: free, kind: 'projector', state: 'running', position: 0 },
    ]);
    await lease!.release();
    await eventually(() => expect(manager.status(held)?.state).toBe('running'));
  });
});
