import { isInvalidOptions } from '../../lib/errors/invalid-options.error.js';
import { createEventStore } from '../../lib/event-sourcing.adapters.js';
import { EmbeddedEventStore } from '../../lib/event-store/sql/pglite/embedded-event-store.js';
import { InMemoryEventStore } from '../../lib/event-store/memory/in-memory-event-store.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { EventStoreOptions } from '../../lib/options.js';
import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';

describe('createEventStore', () => {
  it('builds the adapter the options name, or passes an instance through', async () => {
    expect(createEventStore({ adapter: 'memory' })).toBeInstanceOf(InMemoryEventStore);
    expect(createEventStore({ adapter: 'embedded' })).toBeInstanceOf(EmbeddedEventStore);
    const postgres = createEventStore({ adapter: 'postgres', connectionString: TEST_DATABASE_URL });
    expect(postgres).toBeInstanceOf(PostgresEventStore);
    expect(postgres.sql).toBeDefined();
    await postgres.close();
    const instance = new InMemoryEventStore();
    expect(createEventStore(instance)).toBe(instance);
  });

  it('refuses an unknown adapter or an unusable schema with InvalidOptionsError', () => {
    expect(() => createEventStore({ adapter: 'mongo' } as unknown as EventStoreOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    let error: unknown;
    try {
      createEventStore({ adapter: 'embedded', schema: 'drop table' });
    } catch (e) {
      error = e;
    }
    expect(isInvalidOptions(error)).toBe(true);
  });
});
