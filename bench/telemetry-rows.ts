import { formatNumber } from './bench-progress.js';
import { type Comparison, type Figures, pick } from './bench-measure.js';
import { benchRow, type BenchRow, type Target } from './bench-result.js';
import { SeededRandom } from './seeded-random.js';

/** Wallets every B11 workload credits. */
export const AGGREGATES = 1_000;

/** Who credits which wallet in one round: `count` seeded picks among all wallets, with amounts. */
export function workload(seed: number, round: number, count: number): Array<[string, number]> {
  const random = new SeededRandom(seed * 1000 + round);
  return Array.from({ length: count }, () => [`w${random.int(AGGREGATES)}`, 1 + random.int(1000)]);
}

export const describe = (figures: Figures) => `${formatNumber(figures.rate)} commands/s, ${figures.cpu.toFixed(1)} µs CPU/command`;

/** What the traced side of every B11 row runs with. */
export const TRACED_WORK =
  "the OpenTelemetry SDK registered (batch span processor and periodic metric reader, both exporting to nowhere, async-local-storage context manager), telemetry on: 3 spans per command (dispatch, execute, append; load on a cache miss), commands counted (read when the metric reader collects) and 1 histogram record, trace context written into each event's metadata";

/** One B11 row: `what` of `scenarioCase`, one figure of a comparison. */
export interface TelemetryRow {
  what: string;
  result: Comparison;
  metric: 'rate' | 'cpu';
  oursWork: string;
  baselineWork: string;
  target?: Target;
  notes?: string[];
}

export const telemetryRow = (scenarioCase: string, { what, result, metric, ...rest }: TelemetryRow): BenchRow =>
  benchRow({
    scenario: 'B11',
    case: `${scenarioCase}: ${what}`,
    metric: metric === 'cpu' ? 'µs CPU/command' : 'commands/s',
    better: metric === 'cpu' ? 'lower' : 'higher',
    ours: pick(result.ours, metric),
    baseline: pick(result.baseline, metric),
    ...rest,
  });
