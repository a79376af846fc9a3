import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '../lib/index.js';
import { startBenchApp } from './bench-app.js';
import { type BenchConfig, scaled } from './bench-config.js';
import { Wallet } from './bench-domain.js';
import { type BenchDatabase, withDatabase } from './bench-postgres.js';
import { type BenchProgress, formatNumber } from './bench-progress.js';
import type { BenchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { bytesOnDisk } from './growth-bytes.js';
import { ALL_GROWTH_EVENTS, GROWTH_EVENTS, growthProjectorOf, SnapshottedWallet } from './growth-domain.js';
import { FILTERED_LOAD_PROJECTORS, FilteredLoad, type FilteredLoadFigures } from './growth-filtered-load.js';
import { filteredRoundValues } from './growth-filtered-rows.js';
import { LiveLatency } from './growth-live.js';
import { appendFigures, catchUpFigures, loadFigures, rawFilteredRead, snapshotBigWallet } from './growth-measures.js';
import { growthDescription } from './growth-report.js';
import { GrowthValues } from './growth-rows.js';
import { growthType, seedGrowthStore, storedEvents } from './growth-seed.js';
import { type GrowthPart, type GrowthSettings, growthSettings, sizeLabel } from './growth-settings.js';

const WRITERS = 16;
/** B1's round: 6,400 single-event appends by 16 writers, before scaling. */
const APPENDS_PER_ROUND = 6_400;
const LOADS_PER_ROUND = 5;
const LIVE_EVENTS = 200;
const CATCH_UP_TIMEOUT_MS = 60 * 60_000;
/** Appends of the filtered-load workload, before scaling: 5 s at its pace. */
const FILTERED_LOAD_APPENDS = 1_000;

/** One store size being measured: where, with what, and where the values go. */
interface SizeRun {
  config: BenchConfig;
  progress: BenchProgress;
  values: GrowthValues;
  pool: pg.Pool;
  store: EventStore;
  schema: string;
  size: number;
  label: string;
  /** Last position the catch-ups cover. */
  upTo: number;
  token: string;
  options: { eventStore: { adapter: 'postgres'; connectionString: string; schema: string } };
}

async function appends({ config, progress, values, store, size, label, token }: SizeRun): Promise<void> {
  const perWriter = Math.max(1, Math.round(scaled(config, APPENDS_PER_ROUND) / WRITERS));
  for (let round = 0; round < config.warmups + config.repeats; round++) {
    const figures = await appendFigures(store, `b12-${token}-${round}`, WRITERS, perWriter, config.seed + round);
    const what = round < config.warmups ? 'warm-up' : 'repeat';
    progress.line(
      `${label} append ${what}: ${formatNumber(figures.rate)} events/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms`,
    );
    if (round >= config.warmups) for (const key of ['rate', 'p50', 'p99']) values.add(`append ${key}`, size, figures[key]);
  }
}

async function loads({ config, values, store, size, options }: SizeRun): Promise<void> {
  for (const [name, aggregate] of [
    ['load', Wallet],
    ['load snapshot', SnapshottedWallet],
  ] as const) {
    const app = await startBenchApp(options, [], [aggregate]);
    try {
      if (aggregate === SnapshottedWallet) await snapshotBigWallet(app, store);
      for (let round = 0; round < config.repeats; round++) values.add(name, size, (await loadFigures(app, LOADS_PER_ROUND)).ms);
    } finally {
      await app.close();
    }
  }
}

/** Both projectors and the raw filtered read, in turn, a few rounds (each is long on a large store). */
async function catchUps({ config, progress, values, pool, schema, size, label, upTo, token, options }: SizeRun): Promise<void> {
  for (let round = 0; round < Math.min(config.repeats, 3); round++) {
    const [all, one] = [`b12-all-${token}-${round}`, `b12-one-${token}-${round}`];
    const handled = { events: 0 };
    const allTypes = growthProjectorOf(all, ALL_GROWTH_EVENTS, () => handled.events++);
    const everything = await catchUpFigures(pool, schema, all, upTo, () => startBenchApp(options, [allTypes]), CATCH_UP_TIMEOUT_MS);
    values.add('catch-up all', size, everything.rate);
    progress.line(`${label} catch-up, all types: ${formatNumber(everything.rate)} events/s (${formatNumber(handled.events)} handled)`);
    const oneType = growthProjectorOf(one, [GROWTH_EVENTS[0]], () => undefined);
    const filtered = await catchUpFigures(pool, schema, one, upTo, () => startBenchApp(options, [oneType]), CATCH_UP_TIMEOUT_MS);
    const raw = await rawFilteredRead(pool, config.databaseUrl, schema, growthType(0), upTo);
    for (const key of ['rate', 'seconds', 'rows', 'blocks'] as const) values.add(`one ${key}`, size, filtered[key]);
    for (const key of ['seconds', 'rows', 'blocks'] as const) values.add(`raw ${key}`, size, raw[key]);
    progress.line(
      `${label} catch-up, 1 type of 50: ${filtered.seconds.toFixed(1)} s, ${formatNumber(filtered.rows)} rows read; ` +
        `raw filtered read: ${raw.seconds.toFixed(1)} s, ${formatNumber(raw.rows)} rows read, ${formatNumber(raw.events)} events`,
    );
  }
}

async function live({ config, values, store, size, token, options }: SizeRun): Promise<void> {
  const latency = new LiveLatency(token);
  const app = await startBenchApp(options, latency.projectors());
  try {
    for (let round = 0; round < config.repeats; round++) {
      const figures = await latency.run(app, store, LIVE_EVENTS, round);
      values.add('live p50', size, figures.p50);
      values.add('live p99', size, figures.p99);
    }
  } finally {
    await app.close();
  }
}

/** The live workload with 1 and with 30 filtered projectors (and with none), in turn, in two rounds of opposite order. */
async function filteredLoad({ config, progress, values, schema, size, label, token }: SizeRun): Promise<void> {
  const load = await FilteredLoad.open(config.databaseUrl, schema, token, scaled(config, FILTERED_LOAD_APPENDS, 100));
  try {
    for (let round = 0; round < Math.min(config.repeats, 2); round++) {
      const runs = new Map<number, FilteredLoadFigures>();
      // The counters vary little from round to round; the order is turned so neither side always runs first.
      for (const projectors of round % 2 ? [...FILTERED_LOAD_PROJECTORS].reverse() : FILTERED_LOAD_PROJECTORS) {
        const figures = await load.measure(projectors, round);
        runs.set(projectors, figures);
        const { buffers, transactions, rows, activeMs } = figures.load;
        progress.line(
          `${label} filtered load, ${projectors} projectors: ${formatNumber(buffers)} buffers, ${formatNumber(transactions)} transactions, ` +
            `${formatNumber(rows)} rows, ${formatNumber(activeMs)} active ms, ${formatNumber(figures.checkpoints)} checkpoints, ${formatNumber(figures.rate)} appends/s`,
        );
      }
      for (const [name, value] of Object.entries(filteredRoundValues(runs))) values.add(name, size, value);
    }
  } finally {
    await load.close();
  }
}

async function bytes({ values, pool, schema, size }: SizeRun): Promise<void> {
  for (const [name, perRow] of Object.entries(await bytesOnDisk(pool, schema))) values.add(`bytes ${name}`, size, perRow);
}

const PARTS: Record<GrowthPart, (run: SizeRun) => Promise<void>> = {
  append: appends,
  load: loads,
  'catch-up': catchUps,
  live,
  'filtered-load': filteredLoad,
  bytes,
};

/** What every size shares. */
type RunBase = Pick<SizeRun, 'config' | 'progress' | 'values' | 'pool'>;

/** Opens (and when new, seeds) the store of `size` events, then runs the chosen parts on it. */
async function measureSize(db: BenchDatabase, base: RunBase, settings: GrowthSettings, size: number): Promise<void> {
  const label = sizeLabel(size);
  const schema = settings.keep ? `es_growth_${label}_${settings.ids}` : db.schema(`b12_${label}`);
  const { store } = await db.openStore(`b12_${label}`, schema);
  try {
    if ((await storedEvents(base.pool, schema)) === 0) {
      base.progress.line(`seeding ${formatNumber(size)} events into ${schema} (${settings.ids} ids)`);
      await seedGrowthStore(base.pool, schema, size, settings.ids, (done) => base.progress.line(`  ${formatNumber(done)} seeded`));
    } else base.progress.line(`reusing ${schema}`);
    const upTo = Math.min(size, settings.catchUpWindow);
    const options = { eventStore: { adapter: 'postgres' as const, connectionString: base.config.databaseUrl, schema } };
    const run: SizeRun = { ...base, store, schema, size, label, upTo, token: randomBytes(3).toString('hex'), options };
    for (const part of settings.parts) {
      await PARTS[part](run);
      base.progress.line(`${label} ${part} done`);
    }
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
      const base: RunBase = { config, progress, values: new GrowthValues(), pool: db.pool(2) };
      for (const size of settings.sizes) await measureSize(db, base, settings, size);
      return growthDescription(settings, base.values);
    }),
};

runIfMain(import.meta.url, b12Growth);
