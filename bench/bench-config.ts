/** Settings of a benchmark run, read from the environment so a run can be shrunk or grown. */
export interface BenchConfig {
  /** Multiplies every workload size; 0.1 is a quick smoke run. @default 1 */
  scale: number;
  /** Seed of every workload's random choices, so two runs do the same work. @default 42 */
  seed: number;
  /** Measured repeats per side (after the warm-up). @default 5 */
  repeats: number;
  /** Warm-up rounds per side, not measured. @default 1 */
  warmups: number;
  /** @default 'postgres://postgres@127.0.0.1:5432/test' */
  databaseUrl: string;
  /** @default 'redis://127.0.0.1:6379' */
  redisUrl: string;
  /** Where results are written. @default `bench/results` of the repository */
  resultsDir: string;
}

function positiveNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got '${raw}'`);
  }
  return value;
}

/** Reads BENCH_SCALE, BENCH_SEED, BENCH_REPEATS, BENCH_WARMUPS, DATABASE_URL, REDIS_URL, BENCH_RESULTS_DIR. */
export function loadBenchConfig(): BenchConfig {
  return {
    scale: positiveNumber('BENCH_SCALE', 1, false),
    seed: positiveNumber('BENCH_SEED', 42, true),
    repeats: positiveNumber('BENCH_REPEATS', 5, true),
    warmups: positiveNumber('BENCH_WARMUPS', 1, true),
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    // Compiled to dist/bench/, so the repository root is two levels up.
    resultsDir: process.env.BENCH_RESULTS_DIR || new URL('../../bench/results/', import.meta.url).pathname,
  };
}

/** A workload size scaled by the run's factor, never below `min`. */
export const scaled = (config: BenchConfig, size: number, min = 1): number => Math.max(min, Math.round(size * config.scale));
