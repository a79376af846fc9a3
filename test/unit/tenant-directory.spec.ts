import { InMemoryEventStore } from '../../lib/index.js';
import { TenantDirectory } from '../../lib/tenants/tenant-directory.js';

describe('TenantDirectory', () => {
  let store: InMemoryEventStore;
  beforeEach(async () => {
    store = new InMemoryEventStore();
    await store.init();
  });

  it('lists the fold of additions and removals in order: a tenant removed and added again is listed', async () => {
    const directory = new TenantDirectory(store);
    expect(await directory.add('acme')).toBe(true);
    expect(await directory.add('globex')).toBe(true);
    expect(await directory.add('acme')).toBe(false);
    expect(await directory.remove('acme')).toBe(true);
    expect(await directory.remove('acme')).toBe(false);
    expect(await directory.remove('umbrella')).toBe(false);
    expect(await directory.read()).toEqual({ listed: ['globex'], removed: ['acme'], version: 3 });
    expect(await directory.add('acme')).toBe(true);
    expect(await directory.read()).toEqual({ listed: ['globex', 'acme'], removed: [], version: 4 });
  });

  it('records each change once when two nodes make it at the same time', async () => {
    const [a, b] = [new TenantDirectory(store), new TenantDirectory(store)];
    expect((await Promise.all([a.add('acme'), b.add('acme'), a.add('globex')])).filter(Boolean)).toHaveLength(2);
    expect((await Promise.all([a.remove('acme'), b.remove('acme')])).filter(Boolean)).toHaveLength(1);
    expect((await store.readStream('$tenants')).map((e) => [e.eventType, e.data.tenantId])).toEqual([
      ['$TenantAdded', 'acme'],
      ['$TenantAdded', 'globex'],
      ['$TenantRemoved', 'acme'],
    ]);
  });

  it('calls a read stale once the same node has read or written a newer list', async () => {
    const [a, b] = [new TenantDirectory(store), new TenantDirectory(store)];
    await a.add('acme');
    const before = await a.read();
    expect(a.current(before)).toBe(true);
    await a.remove('acme');
    expect(a.current(before)).toBe(false);
    // Another node's directory knows only what it read.
    expect(b.current(before)).toBe(true);
    await b.read();
    expect(b.current(before)).toBe(false);
  });
});
