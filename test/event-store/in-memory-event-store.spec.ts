import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeEventStoreConformance } from '../../lib/store.js';

// Jest's functions given explicitly, as another runner's would be: they fit the published runner shape.
describeEventStoreConformance(
  'memory',
  async () => {
    const store = new InMemoryEventStore(CONFORMANCE_MAX_PAYLOAD_BYTES);
    await store.init();
    return { store, dispose: () => store.close() };
  },
  { describe, it, beforeEach, afterEach, expect },
);

describe('InMemoryEventStore', () => {
  it('keeps what it stored whatever the caller then does with its input or the append result', async () => {
    const store = new InMemoryEventStore();
    const data = { list: [{ n: 1 }] };
    const metadata = { user: { id: 'u-1' } };
    const result = await store.appendToStream('s-1', ANY, [{ eventId: randomUUID(), eventType: 'Happened', data, metadata }]);
    data.list[0].n = 2;
    metadata.user.id = 'u-2';
    const [shared] = result.events;
    expect(() => ((shared.data.list as Array<{ n: number }>)[0].n = 3)).toThrow(TypeError);
    expect(() => (shared.data.list as unknown[]).push(4)).toThrow(TypeError);
    expect(() => ((shared.metadata.user as { id: string }).id = 'u-3')).toThrow(TypeError);
    expect(() => (shared.streamVersion = 7)).toThrow(TypeError);
    const [stored] = await store.readStream('s-1');
    expect(stored).toMatchObject({ data: { list: [{ n: 1 }] }, metadata: { user: { id: 'u-1' } }, streamVersion: 1 });
  });
});
