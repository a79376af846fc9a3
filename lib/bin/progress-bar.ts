import { duration } from './text-output.js';

const WIDTH = 24;

/** One line of progress: bar, counts, percentage, rate and time left. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = rate > 0 && done < total ? ` ETA ${duration(((total - done) / rate) * 1000)}` : '';
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}% ${rate.toFixed(1)}/s${eta}`;
}

/**
 * A progress bar on stderr, redrawn in place; silent when stderr is not a terminal, so piped or
 * logged output and `--json` on stdout stay clean.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true;
  }

  update(done: number, total: number, label = this.label): void {
    if (this.enabled) this.stream.write(`\r\x1b[2K${progressLine(label, done, total, Date.now() - this.started)}`);
  }

  /** Ends the line so later output starts on its own. */
  done(): void {
    if (this.enabled) this.stream.write('\n');
  }
}
