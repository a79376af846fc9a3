import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { EventStore } from '../lib/index.js';
import { acknowledged, type BenchApp } from './bench-app.js';
import { CreditWallet, LookAtWallet } from './bench-domain.js';
import type { Figures } from './bench-measure.js';
import { concurrently, latencyFigures } from './bench-measure.js';
import { percentile } from './bench-stats.js';
import { BIG_WALLET } from './growth-seed.js';
import { creditEvent } from './bench-domain.js';
import { SeededRandom } from './seeded-random.js';

/** Page size of the raw filtered read: the library's default `subscriptions.batchSize`. */
const PAGE = 500;

/**
 * B1's shape: `writers` loops, each on a stream of its own, appending one event at a time with
 * the exact expected version through `EventStore.appendToStream`. Events/s of the round, and
 * p50/p99 of every append's latency in ms.
 */
export async function appendFigures(
  store: EventStore,
  streamPrefix: string,
  writers: number,
  appendsPerWriter: number,
  seed: number,
): Promise<Figures> {
  const random = new SeededRandom(seed);
  const work = Array.from({ length: writers }, (_, w) => Array.from({ length: appendsPerWriter }, () => creditEvent(random, `${streamPrefix}-${w}`)));
  const samples: number[] = [];
  const started = performance.now();
  await concurrently(writers, async (w) => {
    for (let i = 0; i < appendsPerWriter; i++) {
      const before = performance.now();
      await store.appendToStream(`wallet-${streamPrefix}-${w}`, i, [work[w][i]]);
      samples.push(performance.now() - before);
    }
  });
  const rate = samples.length / ((performance.now() - started) / 1000);
  return { rate, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Ms to load the long aggregate into a fresh instance, median of `count` loads (each after a release). */
export async function loadFigures(app: BenchApp, count: number): Promise<Figures> {
  const streamId = `wallet-${BIG_WALLET}`;
  await app.gateway.dispatch(new LookAtWallet(BIG_WALLET));
  const figures = await latencyFigures(count, async () => {
    app.aggregates.release((id) => id === streamId);
    await new Promise((resolve) => setImmediate(resolve));
    await app.gateway.dispatch(new LookAtWallet(BIG_WALLET));
  });
  return { ms: figures.p50 };
}

/** Appends one credit to the long stream through a `SnapshottedWallet` app, which snapshots it. */
export async function snapshotBigWallet(app: BenchApp, store: EventStore): Promise<void> {
  await app.gateway.dispatch(new CreditWallet(BIG_WALLET, 1));
  const deadline = Date.now() + 60_000;
  while (!(await store.readSnapshot(`wallet-${BIG_WALLET}`))) {
    if (Date.now() > deadline) throw new Error('The snapshot of the long wallet was not written within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Rows and blocks the server read from a table, from `pg_stat_user_tables` and `pg_statio_user_tables`. */
export interface TableReads {
  rows: number;
  blocks: number;
}

/** The events table's cumulative read counters: rows fetched by scans and index scans, heap blocks hit or read. */
export async function eventsTableReads(pool: pg.Pool, schema: string): Promise<TableReads> {
  const { rows } = await pool.query<{ rows: string; blocks: string }>(
    `SELECT coalesce(t.seq_tup_read, 0) + coalesce(t.idx_tup_fetch, 0) AS rows, coalesce(io.heap_blks_read, 0) + coalesce(io.heap_blks_hit, 0) AS blocks
       FROM pg_stat_user_tables AS t JOIN pg_statio_user_tables AS io USING (relid)
      WHERE t.schemaname = $1 AND t.relname = 'events'`,
    [schema],
  );
  return { rows: Number(rows[0].rows), blocks: Number(rows[0].blocks) };
}

/**
 * The counters read once they stopped moving: a backend reports its counts when its transaction
 * ends or it exits, so after the readers closed this waits until two reads a second apart agree.
 */
export async function settledReads(pool: pg.Pool, schema: string): Promise<TableReads> {
  let last = await eventsTableReads(pool, schema);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await eventsTableReads(pool, schema);
    if (now.rows === last.rows && now.blocks === last.blocks) return now;
    last = now;
  }
}

/**
 * A projector in a fresh app (built by `start`) catching up from position 0 to `upTo`: seconds from
 * the end of init to its first ack at or past `upTo`, events/s of positions covered, and rows and
 * heap blocks the events table served meanwhile (nothing else reads this schema during the run).
 */
export async function catchUpFigures(pool: pg.Pool, schema: string, name: string, upTo: number, start: () => Promise<BenchApp>, timeoutMs: number) {
  const before = await settledReads(pool, schema);
  const app = await start();
  let seconds: number;
  try {
    const started = performance.now();
    await acknowledged(app.pubsub, name, upTo, timeoutMs);
    seconds = (performance.now() - started) / 1000;
  } finally {
    await app.close();
  }
  const after = await settledReads(pool, schema);
  return { seconds, rate: upTo / seconds, rows: after.rows - before.rows, blocks: after.blocks - before.blocks };
}

/**
 * The raw baseline of a 1-of-50 projector: keyset pages of `event_type = $type` by hand, until a
 * page reaches `upTo` or the table ends, as a reader that is not told where to stop must read.
 */
export async function rawFilteredRead(pool: pg.Pool, url: string, schema: string, type: string, upTo: number) {
  const before = await settledReads(pool, schema);
  // A connection of its own, closed at the end: its backend reports its counters when it exits.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let seconds: number;
  let events = 0;
  try {
    const started = performance.now();
    for (let position = 0; position < upTo;) {
      const { rows } = await client.query<{ global_position: string }>(
        `SELECT * FROM "${schema}".events WHERE global_position > $1 AND event_type = $2 ORDER BY global_position LIMIT $3`,
        [position, type, PAGE],
      );
      events += rows.length;
      if (rows.length < PAGE) break;
      position = Number(rows[rows.length - 1].global_position);
    }
    seconds = (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
  const after = await settledReads(pool, schema);
  return { seconds, rate: upTo / seconds, events, rows: after.rows - before.rows, blocks: after.blocks - before.blocks };
}
