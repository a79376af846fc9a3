import { performance } from 'node:perf_hooks';
import type { BenchConfig } from './bench-config.js';
import type { BenchProgress } from './bench-progress.js';
import { percentile } from './bench-stats.js';

/** The figures one round of one side produced, e.g. `{ rate: 4512 }` or `{ p50: 1.2, p99: 3.4 }`. */
export type Figures = Record<string, number>;

/** One round of one side's work; `round` counts from 0 over warm-ups and repeats. */
export type Trial = (round: number) => Promise<Figures>;

/** Figures of every measured round, per side: ours, the raw baseline, and any floor measured beside them. */
export type Comparison = Record<'ours' | 'baseline', Figures[]> & Record<string, Figures[]>;

/**
 * Runs our side, the raw baseline and any further side (a floor) in rotating rounds: warm-ups first
 * (discarded), then the measured repeats. The order rotates every round so no side always runs on
 * a warmer cache or a fuller table.
 */
export async function compare(
  config: Pick<BenchConfig, 'warmups' | 'repeats'>,
  progress: BenchProgress,
  sides: { ours: Trial; baseline: Trial } & Record<string, Trial>,
  describe: (figures: Figures) => string,
): Promise<Comparison> {
  const names = Object.keys(sides);
  const result = Object.fromEntries(names.map((name) => [name, []])) as unknown as Comparison;
  const total = config.warmups + config.repeats;
  for (let round = 0; round < total; round++) {
    const warmup = round < config.warmups;
    const shift = round % names.length;
    for (const side of [...names.slice(shift), ...names.slice(0, shift)]) {
      const figures = await sides[side](round);
      const label = warmup ? `warm-up ${round + 1}/${config.warmups}` : `repeat ${round - config.warmups + 1}/${config.repeats}`;
      progress.line(`${side.padEnd(8)} ${label}: ${describe(figures)}`);
      if (!warmup) result[side].push(figures);
    }
  }
  return result;
}

/** Values of one figure across rounds. */
export const pick = (rounds: Figures[], key: string): number[] => rounds.map((figures) => figures[key]);

/** Runs `work` and returns `count` per second of wall time it took. */
export async function ratePerSecond(count: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return count / ((performance.now() - started) / 1000);
}

/** `count` per second of wall time `work` took, and the CPU time this process spent per unit of it (µs, all threads). */
export async function timed(count: number, work: () => Promise<unknown>): Promise<Figures> {
  const cpu = process.cpuUsage();
  const rate = await ratePerSecond(count, work);
  const used = process.cpuUsage(cpu);
  return { rate, cpu: (used.user + used.system) / count };
}

/** Runs `workers` loops at once, each given its index, and waits for all. */
export async function concurrently(workers: number, loop: (worker: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: workers }, (_, worker) => loop(worker)));
}

/** Latency percentiles in ms of `count` sequential runs of `operation`. */
export async function latencyFigures(count: number, operation: (index: number) => Promise<unknown>): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await operation(i);
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), p999: percentile(samples, 99.9) };
}
