import type pg from 'pg';
import { EVENT_COLUMNS } from '../lib/event-store/sql/sql-event-rows.js';
import { acknowledged, startBenchApp } from './bench-app.js';
import { type BenchConfig, scaled } from './bench-config.js';
import { memoryProjectorOf, sqlProjectorOf, WalletTotals, walletTable, walletTableDdl, walletUpsert } from './bench-domain.js';
import { compare, pick, ratePerSecond, timed, type Trial } from './bench-measure.js';
import { median } from './bench-stats.js';
import { type BenchDatabase, withDatabase } from './bench-postgres.js';
import { formatNumber } from './bench-progress.js';
import { atLeastTimes, benchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { EVENTS_PER_STREAM, seedBacklog } from './backlog-seed.js';
import { ioHandlerOf, sqlBatchProjectorOf } from './bench-engine-domain.js';
import { spreadCatchUp } from './spread-catch-up.js';

const BACKLOG = 1_000_000;
/**
 * The SQL projection writes one row per event, about 20 times slower than reading: its backlog is
 * smaller so the whole run stays under ten minutes. Its figure is a rate, flat in backlog size.
 */
const SQL_BACKLOG = 100_000;
/** The library's default `subscriptions.batchSize`; the raw reader pages the same. */
const PAGE = 500;
const CATCH_UP_TIMEOUT_MS = 30 * 60_000;
/** Events of the I/O-bound case: each takes at least `IO_MS` in its handler, so it stays short. */
const IO_BACKLOG = 4_000;
/** Never fewer: the seed puts 100 events in a stream, and partitions need streams (20 here). */
const IO_MIN_BACKLOG = 2_000;
const IO_MS = 1;
const IO_CONCURRENCY = 8;
/** The spread case: partitions of the handler, and the node processes sharing them against one alone. */
const SPREAD_PARTITIONS = 8;
const SPREAD_PROCESSES = 3;

interface Backlog {
  schema: string;
  events: number;
}

/** Raw keyset paging of the events table, folding each row into `fold`; `page` runs once per page. */
async function rawPages(client: pg.ClientBase, backlog: Backlog, fold: (row: RawRow) => unknown, page?: (rows: RawRow[]) => Promise<void>) {
  let position = 0;
  for (;;) {
    const { rows } = await client.query<RawRow>(
      `SELECT ${EVENT_COLUMNS} FROM "${backlog.schema}".events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [position, PAGE],
    );
    if (!rows.length) return;
    if (page) await page(rows);
    else rows.forEach(fold);
    position = Number(rows[rows.length - 1].global_position);
  }
}

interface RawRow {
  global_position: string;
  stream_id: string;
  data: { walletId: string; amount: number };
}

function assertComplete(what: string, counted: number, expected: number): void {
  if (counted !== expected) throw new Error(`${what} processed ${counted} events, expected ${expected}`);
}

/** Our projector catching up on the backlog in a fresh application: timed from the end of init to its last ack. */
function ourCatchUp(config: BenchConfig, backlog: Backlog, kind: 'memory' | 'sql' | 'sql-batch', db: BenchDatabase): Trial {
  return async (round) => {
    const name = `b4-${kind}-${round}`;
    const totals = new WalletTotals();
    const table = walletTable(backlog.schema, `wallets_${kind.replace('-', '_')}_${round}`);
    if (kind !== 'memory') await db.pool(1).query(walletTableDdl(table));
    const projector =
      kind === 'memory' ? memoryProjectorOf(name, totals) : kind === 'sql' ? sqlProjectorOf(name, table) : sqlBatchProjectorOf(name, table);
    const app = await startBenchApp({ eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema: backlog.schema } }, [
      projector,
    ]);
    try {
      const caughtUp = acknowledged(app.pubsub, name, backlog.events, CATCH_UP_TIMEOUT_MS);
      const figures = await timed(backlog.events, () => caughtUp);
      if (kind === 'memory') assertComplete(name, totals.events, backlog.events);
      return figures;
    } finally {
      await app.close();
    }
  };
}

/** The I/O-bound event handler at `concurrency` catching up on the backlog: timed from the end of init to its last ack. */
function ioCatchUp(config: BenchConfig, backlog: Backlog, concurrency: number): Trial {
  return async (round) => {
    const name = `b4-io-${concurrency}-${round}`;
    const handled = { events: 0 };
    const app = await startBenchApp({ eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema: backlog.schema } }, [
      ioHandlerOf(name, concurrency, IO_MS, handled),
    ]);
    try {
      const caughtUp = acknowledged(app.pubsub, name, backlog.events, CATCH_UP_TIMEOUT_MS);
      const rate = await ratePerSecond(backlog.events, () => caughtUp);
      assertComplete(name, handled.events, backlog.events);
      return { rate };
    } finally {
      await app.close();
    }
  };
}

/** Raw read of the whole backlog, folding rows into the same in-memory read model. */
function rawRead(pool: pg.Pool, backlog: Backlog): Trial {
  return async () => {
    const totals = new WalletTotals();
    const client = await pool.connect();
    try {
      const figures = await timed(backlog.events, () => rawPages(client, backlog, (row) => totals.add(row.data.walletId, row.data.amount)));
      assertComplete('raw read', totals.events, backlog.events);
      return figures;
    } finally {
      client.release();
    }
  };
}

/** Raw read plus the SQL projection's exact writes: per page one transaction, one upsert per event, one checkpoint update. */
function rawSqlProjection(pool: pg.Pool, backlog: Backlog): Trial {
  return async (round) => {
    const table = walletTable(backlog.schema, `wallets_raw_${round}`);
    const checkpoint = `raw-${round}`;
    const client = await pool.connect();
    try {
      await client.query(walletTableDdl(table));
      await client.query(`INSERT INTO "${backlog.schema}".subscriptions (name) VALUES ($1)`, [checkpoint]);
      const upsert = walletUpsert(table);
      const rate = await ratePerSecond(backlog.events, () =>
        rawPages(
          client,
          backlog,
          () => undefined,
          async (rows) => {
            await client.query('BEGIN');
            for (const row of rows) await client.query(upsert, [row.data.walletId, row.data.amount, row.global_position]);
            await client.query(`UPDATE "${backlog.schema}".subscriptions SET position = $2, updated_at = now() WHERE name = $1`, [
              checkpoint,
              rows[rows.length - 1].global_position,
            ]);
            await client.query('COMMIT');
          },
        ),
      );
      return { rate };
    } finally {
      client.release();
    }
  };
}

/** B4: projector catch-up over a large backlog against raw keyset-paged reads of the same rows. */
export const b4CatchUp: Scenario = {
  id: 'B4',
  title: 'projector catch-up over a seeded backlog, PostgreSQL',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const seeded = async (label: string, events: number): Promise<Backlog> => {
        const schema = await db.migratedSchema(label);
        progress.line(`seeding ${formatNumber(events)} events into ${schema} with INSERT ... SELECT generate_series`);
        await seedBacklog(db.pool(1), schema, events, config.seed);
        return { schema, events };
      };
      const backlog = await seeded('b4', scaled(config, BACKLOG, PAGE * 2));
      const sqlBacklog = await seeded('b4_sql', scaled(config, SQL_BACKLOG, PAGE * 2));
      const pool = db.pool(2);
      const describe = (figures: Record<string, number>) =>
        `${formatNumber(figures.rate)} events/s` + (figures.cpu === undefined ? '' : `, ${figures.cpu.toFixed(1)} µs CPU/event`);
      const cpuOf = (rounds: Record<string, number>[]) => median(pick(rounds, 'cpu')).toFixed(1);
      const memory = await compare(config, progress, { ours: ourCatchUp(config, backlog, 'memory', db), baseline: rawRead(pool, backlog) }, describe);
      // The SQL projection writes a row per event: its rounds are long, so fewer, and the cache is warm by now.
      const sqlRounds = { warmups: 0, repeats: Math.min(config.repeats, 3) };
      const sql = await compare(
        sqlRounds,
        progress,
        { ours: ourCatchUp(config, sqlBacklog, 'sql', db), baseline: rawSqlProjection(pool, sqlBacklog) },
        describe,
      );
      const batch = await compare(
        sqlRounds,
        progress,
        { ours: ourCatchUp(config, sqlBacklog, 'sql-batch', db), baseline: rawRead(pool, sqlBacklog) },
        describe,
      );
      const ioBacklog = await seeded('b4_io', scaled(config, IO_BACKLOG, IO_MIN_BACKLOG));
      const io = await compare(
        sqlRounds,
        progress,
        { ours: ioCatchUp(config, ioBacklog, IO_CONCURRENCY), baseline: ioCatchUp(config, ioBacklog, 1) },
        describe,
      );
      const spread = await compare(
        sqlRounds,
        progress,
        {
          ours: spreadCatchUp(config, db, ioBacklog, SPREAD_PROCESSES, IO_MS, SPREAD_PARTITIONS),
          baseline: spreadCatchUp(config, db, ioBacklog, 1, IO_MS, SPREAD_PARTITIONS),
        },
        describe,
      );
      const backlogText = ({ events }: Backlog) => `${formatNumber(events)} seeded events over ${formatNumber(events / EVENTS_PER_STREAM)} streams`;
      const rawReadWork = `raw \`pg\` keyset-paged \`SELECT <event columns> FROM events WHERE global_position > $1 ORDER BY global_position LIMIT ${PAGE}\` over the same ${backlogText(backlog)}, folding each row into the same in-memory read model`;
      const ourWork = (target: string, on: Backlog) =>
        `a new application's \`@Projector\` catching up from position 0 on ${backlogText(on)} (postgres adapter, batchSize ${PAGE}, one transaction per page with the checkpoint), writing to ${target}; timed from the end of application init (the runner has just started) to its last ack`;
      const tableTarget = 'a table (one upsert per event through `context.sql`)';
      return [
        benchRow({
          scenario: 'B4',
          case: 'projector catch-up to an in-memory read model',
          metric: 'events/s',
          better: 'higher',
          ours: pick(memory.ours, 'rate'),
          baseline: pick(memory.baseline, 'rate'),
          target: atLeastTimes(0.5),
          oursWork: ourWork('a Map', backlog),
          baselineWork: rawReadWork,
          notes: [
            `CPU of this process per event (medians): ours ${cpuOf(memory.ours)} µs, raw ${cpuOf(memory.baseline)} µs; the rest of each side's time waits for PostgreSQL, which shares the machine's cores.`,
          ],
        }),
        benchRow({
          scenario: 'B4',
          case: 'projector catch-up to a transactional PostgreSQL projection',
          metric: 'events/s',
          better: 'higher',
          ours: pick(sql.ours, 'rate'),
          baseline: pick(memory.baseline, 'rate'),
          target: atLeastTimes(0.5),
          oursWork: ourWork(tableTarget, sqlBacklog),
          baselineWork: rawReadWork,
          notes: ['Rates compared: the SQL projection runs over the smaller backlog to keep the run short.'],
        }),
        benchRow({
          scenario: 'B4',
          case: 'transactional PostgreSQL projection vs raw code doing the same writes',
          metric: 'events/s',
          better: 'higher',
          ours: pick(sql.ours, 'rate'),
          baseline: pick(sql.baseline, 'rate'),
          oursWork: ourWork(tableTarget, sqlBacklog),
          baselineWork: `raw keyset-paged reads of the same ${backlogText(sqlBacklog)} plus the projection's writes by hand: per page of ${PAGE} BEGIN, the same upsert per event, the checkpoint UPDATE, COMMIT, on one connection`,
          notes: ['Informational: shows the library overhead when the read model itself is the bottleneck.'],
        }),
        benchRow({
          scenario: 'B4',
          case: 'projector catch-up to a PostgreSQL projection written by an @OnBatch handler',
          metric: 'events/s',
          better: 'higher',
          ours: pick(batch.ours, 'rate'),
          baseline: pick(batch.baseline, 'rate'),
          target: atLeastTimes(0.3),
          oursWork: ourWork('a table (one multi-row upsert per page through `batch.sql`, credits summed per wallet first)', sqlBacklog),
          baselineWork: `raw \`pg\` keyset-paged reads of the same ${backlogText(sqlBacklog)}, folding each row into an in-memory read model`,
        }),
        benchRow({
          scenario: 'B4',
          case: `I/O-bound event handler (${IO_MS} ms per event): concurrency ${IO_CONCURRENCY} vs concurrency 1`,
          metric: 'events/s',
          better: 'higher',
          ours: pick(io.ours, 'rate'),
          baseline: pick(io.baseline, 'rate'),
          target: atLeastTimes(5),
          oursWork: `a new application's \`@EventHandler({ concurrency: ${IO_CONCURRENCY} })\` (partitions by stream) whose handler awaits a ${IO_MS} ms timer per event, catching up on ${backlogText(ioBacklog)}`,
          baselineWork: 'the same handler at concurrency 1 (one event at a time, in global order) on the same backlog',
        }),
        benchRow({
          scenario: 'B4',
          case: `I/O-bound event handler (${IO_MS} ms per event) spread over ${SPREAD_PARTITIONS} partitions: ${SPREAD_PROCESSES} processes vs 1`,
          metric: 'events/s',
          better: 'higher',
          ours: pick(spread.ours, 'rate'),
          baseline: pick(spread.baseline, 'rate'),
          oursWork: `\`@EventHandler({ spread: { partitions: ${SPREAD_PARTITIONS} } })\` whose handler awaits a ${IO_MS} ms timer per event, run by ${SPREAD_PROCESSES} node processes of their own (independent nodes on the postgres adapter) sharing its partitions, catching up on ${backlogText(ioBacklog)}; timed from the resume of the subscription, recorded paused so that the nodes share the partitions first, until every partition's checkpoint reached the head`,
          baselineWork: 'the same subscription run by one node process alone (all its partitions), the same way, on the same backlog',
          notes: [
            `Informational: each partition delivers one event at a time and commits its checkpoint after each, so both sides run ${SPREAD_PARTITIONS} partitions at once and mostly measure those commits; the processes share the machine's cores and each reads every event. A handler that waits gains from more partitions or \`concurrency\` within them, not from more processes: spreading pays when a node is the limit (its CPU, its connections, its memory).`,
          ],
        }),
      ];
    }),
};

runIfMain(import.meta.url, b4CatchUp);
