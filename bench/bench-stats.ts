/** Spread of one figure over the measured repeats. */
export interface Summary {
  min: number;
  median: number;
  max: number;
  /** Number of values summarized. */
  n: number;
}

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

function assertValues(values: readonly number[]): void {
  if (!values.length) throw new Error('Cannot summarize an empty list of values');
  if (values.some((value) => !Number.isFinite(value))) throw new Error(`Values must be finite numbers, got [${values.join(', ')}]`);
}

/**
 * Nearest-rank percentile (`p` in (0, 100]): the smallest value with at least p% of the values at
 * or below it, as latency reports use; p99.9 of 1,000 samples is the 999th smallest.
 */
export function percentile(values: readonly number[], p: number): number {
  assertValues(values);
  if (!(p > 0 && p <= 100)) throw new Error(`Percentile must be in (0, 100], got ${p}`);
  const sorted = ascending(values);
  // Rounded before ceil: 0.999 * 1000 is 999.0000000000001 in floating point, which is rank 999, not 1000.
  const rank = Math.ceil(Number(((p / 100) * sorted.length).toFixed(9)));
  return sorted[Math.max(rank, 1) - 1];
}

/** The middle value, or the mean of the two middle values of an even count. */
export function median(values: readonly number[]): number {
  assertValues(values);
  const sorted = ascending(values);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Min, median and max of the values. */
export function summarize(values: readonly number[]): Summary {
  assertValues(values);
  const sorted = ascending(values);
  return { min: sorted[0], median: median(sorted), max: sorted[sorted.length - 1], n: sorted.length };
}
