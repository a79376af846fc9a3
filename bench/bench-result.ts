import { type Summary, summarize } from './bench-stats.js';

/** What a target compares: medians of our figure and of the baseline's. */
export interface Target {
  /** e.g. `≥ 0.7× raw` */
  text: string;
  met(ours: number, baseline: number): boolean;
}

/** Ours must reach `factor` times the raw figure (rates). */
export const atLeastTimes = (factor: number): Target => ({
  text: `≥ ${factor}× raw`,
  met: (ours, baseline) => ours >= factor * baseline,
});

/** Ours must stay within `factor` times the baseline's figure (latencies); `baseline` names it in the text. */
export const atMostTimes = (factor: number, baseline = 'raw'): Target => ({
  text: `≤ ${factor}× ${baseline}`,
  met: (ours, baseline) => ours <= factor * baseline,
});

/** Ours must stay within the baseline's figure plus `margin` (same unit); `baseline` names it in the text. */
export const atMostPlus = (margin: number, unit: string, baseline = 'raw'): Target => ({
  text: `≤ ${baseline} + ${margin} ${unit}`,
  met: (ours, baseline) => ours <= baseline + margin,
});

/** One line of the results: our figure against the raw baseline measured in the same run. */
export interface BenchRow {
  /** e.g. 'B1' */
  scenario: string;
  /** What was run, e.g. 'append 1 event, 16 writers'. */
  case: string;
  /** e.g. 'events/s', 'p99 ms' */
  metric: string;
  better: 'higher' | 'lower';
  ours: Summary;
  baseline: Summary;
  /** Median of ours divided by median of the baseline. */
  ratio: number;
  /** Absent for informational rows the issue sets no target for. */
  target?: string;
  met?: boolean;
  /** The exact work each side did, so the ratio can be judged. */
  oursWork: string;
  baselineWork: string;
  notes: string[];
}

/** Input of {@link benchRow}: raw values per measured repeat. */
export interface RowInput {
  scenario: string;
  case: string;
  metric: string;
  better: 'higher' | 'lower';
  ours: number[];
  baseline: number[];
  target?: Target;
  oursWork: string;
  baselineWork: string;
  notes?: string[];
}

/** Summarizes both sides and judges the target on the medians. */
export function benchRow(input: RowInput): BenchRow {
  const ours = summarize(input.ours);
  const baseline = summarize(input.baseline);
  const { target, notes = [], ...rest } = input;
  return {
    ...rest,
    ours,
    baseline,
    ratio: ours.median / baseline.median,
    ...(target && { target: target.text, met: target.met(ours.median, baseline.median) }),
    notes,
  };
}
