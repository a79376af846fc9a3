import { Logger } from '@nestjs/common';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { ErrorDecision } from '../../lib/subscriptions/error-decision.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { captureLogs, type LogLine } from '../harness/captured-logs.js';
import { eventually } from '../harness/eventually.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, managerOn, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

/** What an operator reads in the logs when ownership moves and when an event is given up on. */
describe('subscription log lines and standby status', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => (logs = captureLogs()));
  afterEach(async () => {
    await stopAllManagers();
    logs.restore();
  });
  const said = (pattern: RegExp): LogLine[] => logs.lines.filter((line) => pattern.test(line.message));

  it('logs the takeover and the release with the position, and a standby shows the stored checkpoint', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('owned');
    const managerA = managerOn(store, { logger: new Logger('Subscriptions') });
    const managerB = managerOn(store, { logger: new Logger('Subscriptions') });
    await managerA.start([recordingHandler({ name }).definition]);
    await eventually(() => expect(managerA.status(name)?.state).toBe('running'));
    const appended = await addItems(store, 'a', ['e1', 'e2', 'e3']);
    await waitForHandler(store, name, appended.globalPosition);
    await managerB.start([recordingHandler({ name }).definition]);

    await eventually(() => expect(managerB.status(name)).toMatchObject({ state: 'standby', position: appended.globalPosition }));
    expect(said(new RegExp(`Subscription '${name}' taken over by .* from standby at position 0`))).toHaveLength(1);

    await managerA.stop();
    await eventually(() => expect(managerB.status(name)?.state).toBe('running'));
    expect(said(new RegExp(`Subscription '${name}' released by .* at position ${appended.globalPosition}`))).toHaveLength(1);
    await eventually(() =>
      expect(said(new RegExp(`Subscription '${name}' taken over by .* from standby at position ${appended.globalPosition}`))).toHaveLength(1),
    );
  });

  it.each([
    ['park', ErrorDecision.park],
    ['skip', ErrorDecision.skip],
    ['stop', ErrorDecision.stop],
  ])("logs onError's decision to %s with the event's position and type", async (action, decision) => {
    const store = new InMemoryEventStore();
    const name = uniqueName(`decides-${action}`);
    const { definition } = recordingHandler({ name }, (event) => {
      if (event.item === 'bad') throw new Error('refused');
    });
    const manager = managerOn(store, { logger: new Logger('Subscriptions') });
    await manager.start([{ ...definition, onError: () => decision }]);
    const appended = await addItems(store, 'b', ['good', 'bad']);

    const pattern = new RegExp(
      `Subscription '${name}': onError decided to ${action} SubTestItemAdded at position ${appended.globalPosition} \\(attempt 1\\)`,
    );
    await eventually(() => expect(said(pattern)).toHaveLength(1));
    expect(said(pattern)[0].level).toBe(action === 'stop' ? 'error' : 'warn');
  });
});
