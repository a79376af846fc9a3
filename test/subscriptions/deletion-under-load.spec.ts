import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandGateway, type EventContext, On, Projector, StreamDeleted } from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { SHARED_STORES } from '../fixtures/shared-stores.js';
import { Add, Added, Mirror, Tally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

/** Every Added event it was handed, by id, and every tombstone. */
@Injectable()
@Projector({ name: 'tally-audit' })
class Audit {
  readonly added: string[] = [];
  readonly deleted: string[] = [];

  @On(Added)
  onAdded(_event: Added, context: EventContext) {
    this.added.push(context.eventId);
  }

  @On(StreamDeleted)
  onDeleted(event: StreamDeleted) {
    this.deleted.push(event.streamId);
  }
}

const SOURCES = 4;
const ADDS_PER_SOURCE = 12;
const DOOMED = 4;

describe.each(SHARED_STORES)('streams deleted while subscriptions and process managers work, on the %s store', (_adapter, sharedStore) => {
  it('lose nothing else and duplicate nothing', async () => {
    const shared = await sharedStore();
    const store = await shared.open();
    // Ninety-six commands at once, and the process manager's copies: on a starved machine some wait longer than the default deadline.
    const app = await createApp({
      aggregates: [Tally],
      processManagers: [Mirror],
      providers: [Audit],
      options: { eventStore: store, commands: { timeout: 60_000 } },
    });
    try {
      const gateway = app.get(CommandGateway);
      const run = randomUUID();
      const doomed = Array.from({ length: DOOMED }, (_, i) => `doomed-${run}-${i}`);
      for (const id of doomed) for (let n = 0; n < 5; n++) await gateway.dispatch(new Add(id, 1));
      const sources = Array.from({ length: SOURCES }, (_, i) => `src-${run}-${i}`);
      // Commands (and the copies the process manager makes of them) run while the deletions do.
      const adds = sources.flatMap((id) => Array.from({ length: ADDS_PER_SOURCE }, (_, n) => gateway.dispatch(new Add(id, n + 1))));
      const deletions = doomed.map((id, i) => store.deleteStream(`tally-${id}`, { hard: i % 2 === 0 }));
      await Promise.all([...adds, ...deletions]);
      const total = (ADDS_PER_SOURCE * (ADDS_PER_SOURCE + 1)) / 2;
      const kept = [...sources, ...sources.map((id) => id.replace(/^src-/, 'target-'))];
      await eventually(async () => {
        for (const id of kept) expect((await store.readStream(`tally-${id}`)).reduce((sum, event) => sum + Number(event.data.by), 0)).toBe(total);
      });
      const keptIds = (await Promise.all(kept.map((id) => store.readStream(`tally-${id}`)))).flat().map((event) => event.eventId);
      const audit = app.get(Audit);
      await eventually(() => expect(audit.deleted.sort()).toEqual(doomed.map((id) => `tally-${id}`).sort()));
      await eventually(() => expect(audit.added).toEqual(expect.arrayContaining(keptIds)));
      expect(new Set(audit.added).size).toBe(audit.added.length);
      expect(keptIds).toHaveLength(2 * SOURCES * ADDS_PER_SOURCE);
      for (const [i, id] of doomed.entries()) expect((await store.readStream(`tally-${id}`)).length).toBe(i % 2 === 0 ? 1 : 6);
    } finally {
      await app.close();
      await shared.close();
    }
  });
});
