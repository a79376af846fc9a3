import type { IdLayout } from './growth-seed.js';

/** Settings of B12, read from the environment. */
export interface GrowthSettings {
  /** Store sizes in events, smallest first; the smallest is the reference of every ratio. @default 100,000 and 1,000,000 */
  sizes: number[];
  /** Keep the seeded stores (schemas `es_growth_<size>_<ids>`) and reuse them on the next run. @default false */
  keep: boolean;
  /** Event ids of the seeded history. @default 'v7', as the library writes them */
  ids: IdLayout;
  /** Catch-ups cover positions 1..min(size, this). @default every event of the store */
  catchUpWindow: number;
  /** What to measure, e.g. only appends and bytes to compare two builds quickly. @default every part */
  parts: GrowthPart[];
}

/**
 * The parts of B12 that BENCH_GROWTH_PARTS can choose, in the order they run by default: the
 * catch-ups first, so they read the store as seeded (the other parts append to it).
 */
export const GROWTH_PARTS = ['catch-up', 'append', 'load', 'live', 'filtered-load', 'bytes'] as const;
/** One of {@link GROWTH_PARTS}. */
export type GrowthPart = (typeof GROWTH_PARTS)[number];

const sizeOf = (text: string): number => {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`BENCH_GROWTH_SIZES: '${text}' is not a size such as 1m or 100k`);
  return Math.round(Number(match[1]) * { '': 1, k: 1e3, m: 1e6 }[match[2].toLowerCase() as '' | 'k' | 'm']);
};

/** A size as the schema names and the table show it: 100k, 1m, 30m. */
export const sizeLabel = (events: number): string =>
  events % 1e6 === 0 ? `${events / 1e6}m` : events % 1e3 === 0 ? `${events / 1e3}k` : String(events);

/**
 * Reads BENCH_GROWTH_SIZES (e.g. `1m,10m,30m`), BENCH_GROWTH_KEEP=1, BENCH_GROWTH_IDS (`v7`|`random`),
 * BENCH_GROWTH_CATCH_UP (a size) and BENCH_GROWTH_PARTS (e.g. `append,bytes`).
 */
export function growthSettings(): GrowthSettings {
  const env = process.env;
  const sizes = (env.BENCH_GROWTH_SIZES || '100k,1m').split(',').map(sizeOf);
  const ids = env.BENCH_GROWTH_IDS || 'v7';
  if (ids !== 'v7' && ids !== 'random') throw new Error(`BENCH_GROWTH_IDS must be 'v7' or 'random', got '${ids}'`);
  const parts = (env.BENCH_GROWTH_PARTS || GROWTH_PARTS.join(',')).split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => !(GROWTH_PARTS as readonly string[]).includes(part));
  if (unknown.length) throw new Error(`BENCH_GROWTH_PARTS: unknown ${unknown.join(', ')}; known: ${GROWTH_PARTS.join(', ')}`);
  return {
    sizes: [...sizes].sort((a, b) => a - b),
    keep: env.BENCH_GROWTH_KEEP === '1',
    ids,
    catchUpWindow: env.BENCH_GROWTH_CATCH_UP ? sizeOf(env.BENCH_GROWTH_CATCH_UP) : Number.POSITIVE_INFINITY,
    parts: parts as GrowthPart[],
  };
}
