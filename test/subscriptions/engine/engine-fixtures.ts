import type { EventStore } from '../../../lib/event-store/event-store.interface.js';
import { PostgresEventStore } from '../../../lib/event-store/sql/pg/postgres-event-store.js';
import type { PostgresStoreOptions } from '../../../lib/event-store/sql/pg/postgres-store.options.js';
import { testSchema } from '../../harness/postgres-schema.js';

/** A fresh, initialised store for one test, with a projection table when the adapter has SQL. */
export interface EngineStore {
  store: EventStore;
  /** `"schema".items` on SQL adapters (position bigint, item text). */
  items?: string;
  dispose(): Promise<void>;
}

/** Builds a fresh store per test. */
export type EngineStoreFactory = () => Promise<EngineStore>;

/** Creates the projection table used by the transactional tests. */
export async function createItemsTable(store: EventStore, schema: string): Promise<string> {
  const items = `"${schema}".items`;
  await store.sql!.query(`CREATE TABLE ${items} (position bigint PRIMARY KEY, item text NOT NULL)`);
  return items;
}

/** The projection's rows in position order. */
export async function itemRows(store: EventStore, items: string): Promise<Array<{ position: number; item: string }>> {
  const { rows } = await store.sql!.query<{ position: string; item: string }>(`SELECT position, item FROM ${items} ORDER BY position`);
  return rows.map((row) => ({ position: Number(row.position), item: row.item }));
}

/** Counts handlers running at once and remembers the highest count seen. */
export class InFlight {
  private now = 0;
  max = 0;

  async around<T>(work: () => Promise<T>): Promise<T> {
    this.max = Math.max(this.max, ++this.now);
    try {
      return await work();
    } finally {
      this.now--;
    }
  }
}

/** Items grouped by list, in the order they were delivered. */
export function byList(deliveries: Array<{ item: string }>): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const { item } of deliveries) {
    const list = item.split(':')[0];
    lists.set(list, [...(lists.get(list) ?? []), item]);
  }
  return lists;
}

/** `count` items of list `list`: `list:0`, `list:1`, ... */
export const itemsOf = (list: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${list}:${i}`);

/** Fresh PostgreSQL stores, each in a schema of its own, connected as `connection` says (directly, or through a pooler). */
export function postgresEngineStores(connection: () => Pick<PostgresStoreOptions, 'connectionString' | 'pooler'>): EngineStoreFactory {
  return async () => {
    const schema = await testSchema('es_engine');
    const store = new PostgresEventStore({ ...connection(), schema: schema.name, poolSize: 6 });
    await store.init();
    const items = await createItemsTable(store, schema.name);
    return {
      store,
      items,
      dispose: async () => {
        await store.close();
        await schema.drop();
      },
    };
  };
}
