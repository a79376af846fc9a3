import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { CommandGateway, DomainError, EventSourcingHealth, InMemoryEventStore, isDomainError } from '../../lib/index.js';
import { Counter, Increment, Incremented, TooHigh } from '../fixtures/counter.js';
import { eventually } from '../harness/eventually.js';
import { membersAgree, nodeOf, startCounterNode } from './in-process-nodes.js';

jest.setTimeout(120_000);

const store = new InMemoryEventStore();
/** Beyond any wait of the test: only b's announcement that it leaves can drop it from a's members. */
const NODE_TIMEOUT_MS = 600_000;
const startNode = (name: string) => startCounterNode(store, name, {}, NODE_TIMEOUT_MS);

/** Counter ids owned by `owner`, found by asking the placement itself. */
function idsOwnedBy(app: INestApplication, owner: string, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count && i < 1000; i++) if (nodeOf(app).ownerOf(`counter-c${i}`) === owner) ids.push(`c${i}`);
  return ids;
}

describe('cluster registry in one process (two applications sharing a memory store)', () => {
  let a: INestApplication;
  let b: INestApplication;
  beforeAll(async () => {
    [a, b] = await Promise.all([startNode('a'), startNode('b')]);
    // Both see both once a heartbeat has passed.
    await membersAgree([a, b], ['a', 'b']);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('runs a command for another node’s aggregate there and returns the same result as a local run', async () => {
    expect(nodeOf(a).members).toEqual(['a', 'b']);
    const [remote] = idsOwnedBy(a, 'b', 1);
    const gateway = a.get(CommandGateway);
    const result = await gateway.dispatch<{ events: object[]; aggregateState: Counter; aggregateVersion: number }>(new Increment(remote, 5), {
      returning: 'executionResult',
      metadata: { who: 'test' },
    });
    expect(result.aggregateVersion).toBe(1);
    expect(result.events[0]).toBeInstanceOf(Incremented);
    expect(result.events[0]).toEqual(new Incremented(remote, 5));
    expect(result.aggregateState).toBeInstanceOf(Counter);
    expect(result.aggregateState.value).toBe(5);
    // It ran on b: the live instance is there, not here.
    expect(b.get(EventSourcingHealth).status().aggregates.executed).toBeGreaterThan(0);
    const stored = await store.readStream(`counter-${remote}`);
    expect(stored[0].metadata).toMatchObject({ who: 'test' });
  });

  it('records a command forwarded to its owner, since its sender may retry it on the next owner, and none run where it was sent', async () => {
    const [remote] = idsOwnedBy(a, 'b', 1);
    const [local] = idsOwnedBy(a, 'a', 1);
    const gateway = a.get(CommandGateway);
    await gateway.dispatch(new Increment(remote, 1));
    await gateway.dispatch(new Increment(local, 1));
    const lastCommandOf = async (id: string) =>
      (await store.readStream(`counter-${id}`, { direction: 'backward', maxCount: 1 }))[0].metadata.commandId as string;
    expect(await store.readCommand(await lastCommandOf(remote))).toMatchObject({ streamId: `counter-${remote}`, commandType: 'Increment' });
    expect(await store.readCommand(await lastCommandOf(local))).toBeUndefined();
  });

  it('returns a domain error thrown on the owner with its code and message', async () => {
    const [remote] = idsOwnedBy(a, 'b', 1);
    const error = await a
      .get(CommandGateway)
      .dispatch(new Increment(remote, 2_000_000))
      .catch((e: unknown) => e);
    expect(isDomainError(error)).toBe(true);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'TOO_HIGH', message: new TooHigh().message, name: 'TooHigh' });
  });

  it('shows the members in the health status', () => {
    const status = b.get(EventSourcingHealth).status();
    expect(status.cluster?.members.map((m) => m.name)).toEqual(['a', 'b']);
    expect(status.pubsub).toMatchObject({ transport: 'global', connected: true });
  });

  it('drops a node that shuts down at once and runs its aggregates on the survivors', async () => {
    const [remote] = idsOwnedBy(a, 'b', 1);
    await b.close();
    // Long before the node timeout could: b said it was leaving.
    await eventually(() => expect(nodeOf(a).members).toEqual(['a']), { timeout: 60_000 });
    const version = await a.get(CommandGateway).dispatch(new Increment(remote, 1), { returning: 'aggregateVersion' });
    expect(version).toBeGreaterThan(1);
  });
});
