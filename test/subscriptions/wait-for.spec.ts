import { isWaitTimeout, WaitTimeoutError } from '../../lib/errors/wait-timeout.error.js';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { waitForEvent } from '../../lib/testing/wait-for-event.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { recordingHandler } from './fixtures/recording-handler.js';
import { addItems, append, ItemAdded, managerOn, NoteWritten, stopAllManagers, uniqueName } from './fixtures/subscription-fixtures.js';

describe('waitForEvent', () => {
  it('finds a stored event by type name, by class or by predicate', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'notes', [new NoteWritten('hello')]);
    await addItems(store, 'a', ['apple', 'avocado']);

    expect(await waitForEvent(store, 'SubTestNoteWritten')).toMatchObject({ globalPosition: 1, data: { text: 'hello' } });
    expect(await waitForEvent(store, ItemAdded)).toMatchObject({ globalPosition: 2, data: { item: 'apple' } });
    expect(await waitForEvent(store, (event) => event.data.item === 'avocado')).toMatchObject({ globalPosition: 3 });
  });

  it('only considers events after the given position', async () => {
    const store = new InMemoryEventStore();
    await addItems(store, 'a', ['first', 'second']);
    expect(await waitForEvent(store, ItemAdded, { after: 1 })).toMatchObject({ globalPosition: 2, data: { item: 'second' } });
  });

  it('waits for an event appended later', async () => {
    const store = new InMemoryEventStore();
    const waiting = waitForEvent(store, ItemAdded, { timeout: 60_000 });
    setTimeout(() => void addItems(store, 'late', ['late']), 50);
    expect(await waiting).toMatchObject({ data: { item: 'late' } });
  });

  it('rejects with WaitTimeoutError naming what it waited for', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'notes', [new NoteWritten('not it')]);
    const error = await waitForEvent(store, ItemAdded, { timeout: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(isWaitTimeout(error)).toBe(true);
    expect((error as Error).message).toBe("Timed out after 100 ms waiting for an event of type 'SubTestItemAdded' after position 0");
  });
});

describe('waitForHandler', () => {
  afterEach(stopAllManagers);

  it('resolves with the checkpoint once the handler reached the position', async () => {
    const store = new InMemoryEventStore();
    const name = uniqueName('waited');
    const manager = managerOn(store);
    await manager.start([recordingHandler({ name }).definition]);
    await addItems(store, 'x', ['a', 'b', 'c']);
    expect(await waitForHandler(store, name, 2)).toBeGreaterThanOrEqual(2);
    expect(await waitForHandler(store, name, 3)).toBe(3);
  });

  it('rejects with WaitTimeoutError giving the checkpoint reached', async () => {
    const store = new InMemoryEventStore();
    await addItems(store, 'x', ['a']);
    await expect(waitForHandler(store, 'nobody-runs-this', 1, { timeout: 100 })).rejects.toThrow(
      "Timed out after 100 ms waiting for subscription 'nobody-runs-this' to reach position 1 (its checkpoint is 0)",
    );
  });
});
