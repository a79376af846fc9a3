import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ownerOf } from '../../lib/cluster/rendezvous.js';
import { CommandGateway, type EventStore, EventSourcingHealth, InMemoryEventStore } from '../../lib/index.js';
import { Increment } from '../fixtures/counter.js';
import { nodeOf, startCounterNode } from './in-process-nodes.js';
import { eventually } from '../harness/eventually.js';

jest.setTimeout(120_000);

let store = new InMemoryEventStore();
let maxAttempts = 1;
const startNode = (name: string, on: EventStore = store) => startCounterNode(on, name, { maxAttempts });

/** The shared store, except that appends to `streamId` wait while `hold()` is pending: a node on it decides on a version another then moves past. */
function holdingAppends(target: InMemoryEventStore, streamId: string, hold: () => Promise<void>): EventStore {
  return new Proxy(target, {
    get(shared, property) {
      const value = Reflect.get(shared, property, shared) as unknown;
      if (property !== 'appendToStream') return typeof value === 'function' ? value.bind(shared) : value;
      return async (...args: Parameters<InMemoryEventStore['appendToStream']>) => {
        if (args[0] === streamId) await hold();
        return shared.appendToStream(...args);
      };
    },
  });
}
const executed = (app: INestApplication) => app.get(EventSourcingHealth).status().aggregates.executed;
const conflicts = (app: INestApplication) => app.get(EventSourcingHealth).status().aggregates.conflicts;

// With one attempt the conflict exhausts the executor's retries; with the default ten, the executor
// asks the registry before its first retry. Either way the stale owner forwards instead of retrying.
describe.each([1, 10])('cluster: a stale owner (commands.maxAttempts %i)', (attempts) => {
  let a: INestApplication;
  let b: INestApplication | undefined;
  beforeAll(() => {
    store = new InMemoryEventStore();
    maxAttempts = attempts;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('forwards to the new owner a command that conflicted, and the commands queued behind it, instead of running them itself', async () => {
    // A counter b will own once it joins; until then a owns everything.
    let id = '';
    for (let i = 0; !id && i < 1000; i++) if (ownerOf(`counter-s${i}`, ['a', 'b']) === 'b') id = `s${i}`;
    let hold = Promise.resolve();
    a = await startNode(
      'a',
      holdingAppends(store, `counter-${id}`, () => hold),
    );
    expect(nodeOf(a).ownerOf(`counter-${id}`)).toBe('a');
    const gateway = a.get(CommandGateway);
    expect(await gateway.dispatch(new Increment(id, 1), { returning: 'aggregateVersion' })).toBe(1);

    // a decides on its cached version 1, and its append waits until b has written version 2; one
    // more command waits behind it in the mailbox.
    let bWrote = () => {};
    hold = new Promise<void>((resolve) => (bWrote = resolve));
    const slow = gateway.dispatch(new Increment(id, 10), { returning: 'aggregateVersion', timeout: 60_000 });
    const queued = gateway.dispatch(new Increment(id, 100), { returning: 'aggregateVersion', timeout: 60_000 });

    // b joins and owns the counter; a hears of it at its next heartbeat, and b writes version 2.
    b = await startNode('b');
    await eventually(() => expect(nodeOf(a).members).toEqual(['a', 'b']), { timeout: 60_000 });
    const onB = b;
    const executedOnA = executed(a);
    expect(await onB.get(CommandGateway).dispatch(new Increment(id, 1000), { returning: 'aggregateVersion' })).toBe(2);
    bWrote();

    // a's append expecting version 1 conflicts; the command and the one queued behind it run on b.
    const versions = await Promise.all([slow, queued]);
    const events = await store.readStream(`counter-${id}`);
    console.log(`stale owner: versions ${versions.join(', ')}; a conflicts ${conflicts(a)}, b executed ${executed(onB)}`);
    expect(versions.sort()).toEqual([3, 4]);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(events.map((e) => (e.data as { by: number }).by).sort((x, y) => x - y)).toEqual([1, 10, 100, 1000]);
    expect(conflicts(a)).toBe(1);
    // Neither command completed on a; b ran its own and both forwarded ones.
    expect(executed(a)).toBe(executedOnA);
    expect(executed(onB)).toBe(3);
  });
});
