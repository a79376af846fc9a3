import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { ANY } from '../../lib/event-store/expected-version.js';
import { MIGRATIONS } from '../../lib/event-store/sql/migrations.js';
import { migrate } from '../../lib/migrate.js';
import { events } from '../../lib/event-store/conformance/conformance-events.js';

describe('Embedded event store on a data directory', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'es-embedded-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps events, checkpoints and snapshots across close and reopen', async () => {
    const first = new EmbeddedEventStore({ dataDir, schema: 'bank' });
    await first.init();
    const appended = await first.appendToStream('account-1', ANY, events(3));
    const lease = (await first.acquireSubscription('balances'))!;
    await lease.saveCheckpoint(2);
    await first.saveSnapshot({ streamId: 'account-1', streamVersion: 3, snapshotType: 'Account', snapshotVersion: 1, data: { balance: 7 } });
    await first.close();
    expect(lease.lost).toBe(true);

    const second = new EmbeddedEventStore({ dataDir, schema: 'bank' });
    await second.init();
    try {
      expect(await second.readStream('account-1')).toEqual(appended.events);
      expect(await second.readCheckpoint('balances')).toBe(2);
      expect(await second.readSnapshot('account-1')).toMatchObject({ streamVersion: 3, data: { balance: 7 } });
      expect((await second.appendToStream('account-1', 3, events(1))).globalPosition).toBe(4);
      expect(await second.acquireSubscription('balances')).toBeDefined();
    } finally {
      await second.close();
    }
  });

  it('is migrated by the migrate function as well', async () => {
    expect(await migrate({ adapter: 'embedded', dataDir, schema: 'bank' })).toEqual(MIGRATIONS.map((m) => m.version));
    const store = new EmbeddedEventStore({ dataDir, schema: 'bank', autoMigrate: false });
    await store.init();
    try {
      expect(await store.headPosition()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
