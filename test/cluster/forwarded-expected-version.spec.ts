import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CommandGateway,
  EventSourcingHealth,
  InMemoryEventStore,
  isWrongExpectedVersion,
  NO_STREAM,
  WrongExpectedVersionError,
} from '../../lib/index.js';
import { failure } from '../fixtures/failure.js';
import { Add, Tally } from '../fixtures/tally.js';
import { membersAgree, nodeOf, startCounterNode } from './in-process-nodes.js';

jest.setTimeout(120_000);

const store = new InMemoryEventStore();
/** Beyond any wait of the test: membership only changes when a node closes. */
const NODE_TIMEOUT_MS = 600_000;

/** A fresh tally id that `owner` owns, found by asking the placement itself. */
function idOwnedBy(app: INestApplication, owner: string): string {
  for (;;) {
    const id = randomUUID();
    if (nodeOf(app).ownerOf(`tally-${id}`) === owner) return id;
  }
}

/** A promise and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('a caller’s expected version, forwarded to the owning node', () => {
  let a: INestApplication;
  let b: INestApplication;
  const executedOnB = () => b.get(EventSourcingHealth).status().aggregates.executed;
  const versions = async (id: string) => (await store.readStream(`tally-${id}`)).map((event) => event.data.by);

  beforeAll(async () => {
    [a, b] = await Promise.all(['a', 'b'].map((name) => startCounterNode(store, name, {}, NODE_TIMEOUT_MS, [Tally])));
    await membersAgree([a, b], ['a', 'b']);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  beforeEach(() => {
    Tally.hold = undefined;
  });

  it('crosses the wire with the command: the owner runs it only at that version, and its refusal comes back typed', async () => {
    const id = idOwnedBy(a, 'b');
    const gateway = a.get(CommandGateway);
    const before = executedOnB();
    expect(await gateway.dispatch(new Add(id, 1), { expectedVersion: NO_STREAM, returning: 'aggregateVersion' })).toBe(1);
    expect(await gateway.dispatch(new Add(id, 2), { expectedVersion: 1, returning: 'aggregateVersion' })).toBe(2);
    expect(executedOnB() - before).toBe(2);

    // Without the option on the wire, b would run these: each is refused there, and nothing is written.
    for (const expectedVersion of [1, NO_STREAM] as const) {
      const refused = await failure(gateway.dispatch(new Add(id, 3), { expectedVersion }));
      expect(refused).toBeInstanceOf(WrongExpectedVersionError);
      expect(isWrongExpectedVersion(refused)).toBe(true);
      expect(refused).toMatchObject({ name: 'WrongExpectedVersionError', streamId: `tally-${id}`, expected: expectedVersion, actual: 2 });
      expect(refused.message).toMatch(
        /^Command 'Add' expected 'tally-[^']+' (at version 1|to have no events), but it is at version 2: nothing was written/,
      );
      expect(refused.stack).toMatch(/at node b/);
    }
    expect(await versions(id)).toEqual([1, 2]);
  });

  it('refuses on the owner a command whose append loses to a write between its load and its append, and says so to the sender', async () => {
    const id = idOwnedBy(a, 'b');
    expect(await a.get(CommandGateway).dispatch(new Add(id, 1), { returning: 'aggregateVersion' })).toBe(1);
    const entered = latch();
    const released = latch();
    Tally.hold = { entered: entered.open, released: released.promise };
    const handledBefore = Tally.handled;
    const refused = failure(a.get(CommandGateway).dispatch(new Add(id, 5), { expectedVersion: 1 }));
    await entered.promise;
    Tally.hold = undefined;
    // Another writer (an independent process on the same store) moves the stream behind the owner's back.
    await store.appendToStream(`tally-${id}`, 1, [{ eventId: randomUUID(), eventType: 'TallyAdded', data: { tallyId: id, by: 7 } }]);
    released.open();

    const error = await refused;
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expected: 1, actual: 2 });
    expect(Tally.handled - handledBefore).toBe(1);
    expect(await versions(id)).toEqual([1, 7]);
  });
});
