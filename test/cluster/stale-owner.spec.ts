import type { INestApplication } from '@nestjs/common';
import { ownerOf } from '../../lib/cluster/rendezvous.js';
import { CommandGateway, EventSourcingHealth, InMemoryEventStore } from '../../lib/index.js';
import { Increment } from '../fixtures/counter.js';
import { nodeOf, startCounterNode } from './in-process-nodes.js';
import { eventually } from '../harness/eventually.js';

let store = new InMemoryEventStore();
let maxAttempts = 1;
const startNode = (name: string) => startCounterNode(store, name, { maxAttempts });
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
    a = await startNode('a');
    // A counter b will own once it joins; until then a owns everything.
    let id = '';
    for (let i = 0; !id && i < 1000; i++) if (ownerOf(`counter-s${i}`, ['a', 'b']) === 'b') id = `s${i}`;
    expect(nodeOf(a).ownerOf(`counter-${id}`)).toBe('a');
    const gateway = a.get(CommandGateway);
    expect(await gateway.dispatch(new Increment(id, 1), { returning: 'aggregateVersion' })).toBe(1);

    // a decides slowly on its cached version 1; one more command waits behind it in the mailbox.
    const slow = gateway.dispatch(new Increment(id, 10, 1500), { returning: 'aggregateVersion', timeout: 10_000 });
    const queued = gateway.dispatch(new Increment(id, 100), { returning: 'aggregateVersion', timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 100));

    // b joins and owns the counter; a hears of it at its next heartbeat, and b writes version 2.
    b = await startNode('b');
    await eventually(() => expect(nodeOf(a).members).toEqual(['a', 'b']), { timeout: 3000 });
    const onB = b;
    const executedOnA = executed(a);
    expect(await onB.get(CommandGateway).dispatch(new Increment(id, 1000), { returning: 'aggregateVersion' })).toBe(2);

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
