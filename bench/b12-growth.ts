import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { startBenchApp } from './bench-app.js';
import { type BenchConfig, scaled } from './bench-config.js';
import { Wallet } from './bench-domain.js';
import { type BenchDatabase, withDatabase } from './bench-postgres.js';
import { type BenchProgress, formatNumber } from './bench-progress.js';
import type { BenchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { bytesOnDisk } from './growth-bytes.js';
import { ALL_GROWTH_EVENTS, GROWTH_EVENTS, growthProjectorOf, SnapshottedWallet } from './growth-domain.js';
import { LiveLatency } from './growth-live.js';
import { appendFigures, catchUpFigures, loadFigures, rawFilteredRead, snapshotBigWallet } from './growth-measures.js';
import { growthDescription } from './growth-report.js';
import { GrowthValues } from './growth-rows.js';
import { seedGrowthStore, storedEvents, growthType } from './growth-seed.js';
import { type GrowthSettings, growthSettings, sizeLabel } from './growth-settings.js';

const WRITERS = 16;
/** B1's round: 6,400 single-event appends by 16 writers, before scaling. */
const APPENDS_PER_ROUND = 6_400;
const LOADS_PER_ROUND = 5;
const LIVE_EVENTS = 200;
const CATCH_UP_TIMEOUT_MS = 60 * 60_000;

/** Everything measured on one store size, added to `values` under the metric names of growth-report.ts. */
async function measureSize(
  db: BenchDatabase,
  pool: pg.Pool,
  config: BenchConfig,
  settings: GrowthSettings,
  size: number,
  values: GrowthValues,
  progress: BenchProgress,
) {
  const label = sizeLabel(size);
  const schema = settings.keep ? `es_growth_${label}_${settings.ids}` : db.schema(`b12_${label}`);
  const { store } = await db.openStore(`b12_${label}`, schema);
  const token = randomBytes(3).toString('hex');
  const options = { eventStore: { adapter: 'postgres' as const, connectionString: config.databaseUrl, schema } };
  try {
    if ((await storedEvents(pool, schema)) === 0) {
      progress.line(`seeding ${formatNumber(size)} events into ${schema} (${settings.ids} ids)`);
      await seedGrowthStore(pool, schema, size, settings.ids, (done) => progress.line(`  ${formatNumber(done)} seeded`));
    } else progress.line(`reusing ${schema}`);
    const upTo = Math.min(size, settings.catchUpWindow);
    const rounds = config.warmups + config.repeats;
    const perWriter = Math.max(1, Math.round(scaled(config, APPENDS_PER_ROUND) / WRITERS));
    for (let round = 0; round < rounds; round++) {
      const figures = await appendFigures(store, `b12-${token}-${round}`, WRITERS, perWriter, config.seed + round);
      progress.line(
        `${label} append ${round < config.warmups ? 'warm-up' : 'repeat'}: ${formatNumber(figures.rate)} events/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms`,
      );
      if (round >= config.warmups) for (const key of ['rate', 'p50', 'p99']) values.add(`append ${key}`, size, figures[key]);
    }
    const plain = await startBenchApp(options, [], [Wallet]);
    try {
      for (let round = 0; round < config.repeats; round++) values.add('load', size, (await loadFigures(plain, LOADS_PER_ROUND)).ms);
    } finally {
      await plain.close();
    }
    const snapshotted = await startBenchApp(options, [], [SnapshottedWallet]);
    try {
      await snapshotBigWallet(snapshotted, store);
      for (let round = 0; round < config.repeats; round++) values.add('load snapshot', size, (await loadFigures(snapshotted, LOADS_PER_ROUND)).ms);
    } finally {
      await snapshotted.close();
    }
    progress.line(`${label} loads done`);
    const catchUpRounds = Math.min(config.repeats, 3);
    for (let round = 0; round < catchUpRounds; round++) {
      const all = `b12-all-${token}-${round}`;
      const handled = { events: 0 };
      const everything = await catchUpFigures(
        pool,
        schema,
        all,
        upTo,
        () => startBenchApp(options, [growthProjectorOf(all, ALL_GROWTH_EVENTS, () => handled.events++)]),
        CATCH_UP_TIMEOUT_MS,
      );
      values.add('catch-up all', size, everything.rate);
      progress.line(`${label} catch-up, all types: ${formatNumber(everything.rate)} events/s (${formatNumber(handled.events)} handled)`);
      const one = `b12-one-${token}-${round}`;
      const oneType = await catchUpFigures(
        pool,
        schema,
        one,
        upTo,
        () => startBenchApp(options, [growthProjectorOf(one, [GROWTH_EVENTS[0]], () => undefined)]),
        CATCH_UP_TIMEOUT_MS,
      );
      const raw = await rawFilteredRead(pool, config.databaseUrl, schema, growthType(0), upTo);
      for (const [key, value] of Object.entries({ rate: oneType.rate, seconds: oneType.seconds, rows: oneType.rows, blocks: oneType.blocks }))
        values.add(`one ${key}`, size, value);
      for (const [key, value] of Object.entries({ seconds: raw.seconds, rows: raw.rows, blocks: raw.blocks })) values.add(`raw ${key}`, size, value);
      progress.line(
        `${label} catch-up, 1 type of 50: ${oneType.seconds.toFixed(1)} s, ${formatNumber(oneType.rows)} rows read; raw filtered read ${raw.seconds.toFixed(1)} s, ${formatNumber(raw.rows)} rows read, ${formatNumber(raw.events)} events`,
      );
    }
    const live = new LiveLatency(token);
    const liveApp = await startBenchApp(options, live.projectors());
    try {
      for (let round = 0; round < config.repeats; round++) {
        const figures = await live.run(liveApp, store, LIVE_EVENTS, round);
        values.add('live p50', size, figures.p50);
        values.add('live p99', size, figures.p99);
      }
    } finally {
      await liveApp.close();
    }
    progress.line(`${label} live latency done`);
    for (const [name, bytes] of Object.entries(await bytesOnDisk(pool, schema))) values.add(`bytes ${name}`, size, bytes);
  } finally {
    await store.close();
  }
}

/** B12: what a store's growth from 1M to 30M events costs appends, loads, catch-ups, live subscriptions and disk. */
export const b12Growth: Scenario = {
  id: 'B12',
  title: 'store growth: the same work on stores of growing size, PostgreSQL',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db): Promise<BenchRow[]> => {
      const settings = growthSettings();
      const values = new GrowthValues();
      const pool = db.pool(2);
      for (const size of settings.sizes) await measureSize(db, pool, config, settings, size, values, progress);
      return growthDescription(settings, values);
    }),
};

runIfMain(import.meta.url, b12Growth);
