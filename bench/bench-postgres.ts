import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createEventStore } from '../lib/event-sourcing.adapters.js';
import type { EventStore } from '../lib/index.js';
import type { NewEvent } from '../lib/index.js';

/** Connections per pool: one per concurrent writer of B1 and B2, for both sides alike. */
export const BENCH_POOL_SIZE = 16;

/**
 * The benchmark's share of the `test` database: every schema it creates carries a random token,
 * so runs (and test suites) on the same server never meet, and all are dropped at the end.
 */
export class BenchDatabase {
  private readonly token = randomBytes(4).toString('hex');
  private readonly schemas: string[] = [];
  private readonly pools: pg.Pool[] = [];

  private constructor(readonly url: string) {}

  /** Checks the server answers; fails loudly, never skips, when it does not. */
  static async connect(url: string): Promise<BenchDatabase> {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`This scenario needs PostgreSQL at ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
    return new BenchDatabase(url);
  }

  /** A fresh schema name for `label` (lowercase letters, digits, '_'); dropped by {@link dropAll}. */
  schema(label: string): string {
    const name = `es_bench_${label}_${this.token}`;
    this.schemas.push(name);
    return name;
  }

  /** An event store on a fresh schema, migrated and open. */
  async openStore(label: string, schema = this.schema(label)): Promise<{ store: EventStore; schema: string }> {
    const store = createEventStore({ adapter: 'postgres', connectionString: this.url, schema, poolSize: BENCH_POOL_SIZE });
    await store.init();
    return { store, schema };
  }

  /** A schema with the store's exact tables and indexes, for raw baselines to write and read. */
  async migratedSchema(label: string): Promise<string> {
    const { store, schema } = await this.openStore(label);
    await store.close();
    return schema;
  }

  /** A raw `pg` pool, closed by {@link dropAll}. */
  pool(max = BENCH_POOL_SIZE): pg.Pool {
    const pool = new pg.Pool({ connectionString: this.url, max });
    this.pools.push(pool);
    return pool;
  }

  /** Closes the raw pools and drops every schema this run created. */
  async dropAll(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((pool) => pool.end()));
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      for (const schema of this.schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}

/** Runs `work` with a {@link BenchDatabase} and drops its schemas afterwards, whatever happens. */
export async function withDatabase<T>(url: string, work: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const db = await BenchDatabase.connect(url);
  try {
    return await work(db);
  } finally {
    await db.dropAll();
  }
}

/**
 * A hand-written call of the store's own single-append function (`append_events`, no command
 * recorded) with the expected version the caller tracked: the statement each of our appends
 * stands for, without the library around it.
 */
export function appendFunctionCall(schema: string, streamId: string, expected: number, events: NewEvent[]): pg.QueryConfig {
  return {
    name: `append_events_${schema}`,
    text: `SELECT * FROM "${schema}".append_events($1, $2, $3, NULL)`,
    values: [streamId, String(expected), JSON.stringify(events)],
  };
}

/**
 * The raw baseline's append: one multi-row INSERT into the store's own events table (same
 * columns, indexes and sequence); the UNIQUE (stream_id, stream_version) index is its
 * expected-version check. Versions are given by the caller, as a hand-written writer would.
 */
export function rawInsert(schema: string, streamId: string, firstVersion: number, events: NewEvent[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const rows = events.map((event, i) => {
    values.push(event.eventId, streamId, firstVersion + i, event.eventType, event.data, event.metadata ?? {});
    const p = i * 6;
    return `(nextval('"${schema}".global_position_seq'), $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
  });
  return {
    text: `INSERT INTO "${schema}".events (global_position, event_id, stream_id, stream_version, event_type, data, metadata) VALUES ${rows.join(', ')}`,
    values,
  };
}
