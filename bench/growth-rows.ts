import type { BenchRow, Target } from './bench-result.js';
import { benchRow } from './bench-result.js';
import { sizeLabel } from './growth-settings.js';

/** Values of one metric over the measured rounds, per store size. */
export type BySize = Map<number, number[]>;

/** What one metric of B12 is and how its largest-size figure is judged against the smallest. */
export interface GrowthMetric {
  case: string;
  metric: string;
  better: 'higher' | 'lower';
  work: string;
  /** Judged on the largest size only: the question is what growth costs. */
  target?: Target;
}

/** At least `factor` times the figure at the reference size (rates). */
export const atLeastOfReference = (factor: number, reference: number): Target => ({
  text: `≥ ${factor}× at ${sizeLabel(reference)}`,
  met: (ours, baseline) => ours >= factor * baseline,
});

/** No more than `limit` (an absolute target, such as bytes per event). */
export const atMost = (limit: number, unit: string): Target => ({ text: `≤ ${limit} ${unit}`, met: (ours) => ours <= limit });

/**
 * One row per size: our figure at that size against the same figure at the smallest size (the
 * "baseline" column), so the ratio column is what growth did to it.
 */
export function growthRows(metric: GrowthMetric, values: BySize): BenchRow[] {
  const sizes = [...values.keys()].sort((a, b) => a - b);
  if (!sizes.length) return [];
  const reference = sizes[0];
  const largest = sizes[sizes.length - 1];
  return sizes.map((size) =>
    benchRow({
      scenario: 'B12',
      case: `${metric.case}, ${sizeLabel(size)}-event store`,
      metric: metric.metric,
      better: metric.better,
      ours: values.get(size)!,
      baseline: values.get(reference)!,
      target: size === largest && size !== reference ? metric.target : undefined,
      oursWork: `${metric.work}, on the store of ${sizeLabel(size)} events`,
      baselineWork: `the same on the store of ${sizeLabel(reference)} events`,
    }),
  );
}

/** Rows of a figure against a raw baseline measured at the same size (the 1-of-50 catch-up). */
export function againstRawRows(metric: GrowthMetric & { baselineWork: string }, ours: BySize, raw: BySize): BenchRow[] {
  return [...ours.keys()]
    .sort((a, b) => a - b)
    .map((size) =>
      benchRow({
        scenario: 'B12',
        case: `${metric.case}, ${sizeLabel(size)}-event store`,
        metric: metric.metric,
        better: metric.better,
        ours: ours.get(size)!,
        baseline: raw.get(size)!,
        target: metric.target,
        oursWork: metric.work,
        baselineWork: metric.baselineWork,
      }),
    );
}

/** Collects values per metric name and size as the rounds produce them. */
export class GrowthValues {
  private readonly values = new Map<string, BySize>();

  add(name: string, size: number, value: number): void {
    const bySize = this.values.get(name) ?? new Map<number, number[]>();
    bySize.set(size, [...(bySize.get(size) ?? []), value]);
    this.values.set(name, bySize);
  }

  /** Values of `name` per size; empty when its part was not measured. */
  get(name: string): BySize {
    return this.values.get(name) ?? new Map<number, number[]>();
  }

  /** Metric names measured, in the order first added. */
  names(): string[] {
    return [...this.values.keys()];
  }
}
