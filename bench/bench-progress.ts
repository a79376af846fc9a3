import { performance } from 'node:perf_hooks';

/** Progress lines on stderr while a scenario runs, so a long run shows it is alive. */
export class BenchProgress {
  private readonly started = performance.now();

  constructor(private readonly scenario: string) {}

  line(message: string): void {
    const elapsed = ((performance.now() - this.started) / 1000).toFixed(1);
    process.stderr.write(`[${this.scenario} +${elapsed}s] ${message}\n`);
  }
}

/** A figure for humans: thousands separated, at most `digits` decimals. */
export const formatNumber = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
