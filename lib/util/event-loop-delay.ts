import { performance } from 'node:perf_hooks';

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * How late a periodic timer fires: the time the event loop was held by synchronous work. (Node's
 * `monitorEventLoopDelay` histogram does not record one long block, the very thing to catch.)
 */
export class EventLoopDelay {
  private timer?: NodeJS.Timeout;
  private last = 0;
  private sum = 0;
  private count = 0;
  private max = 0;

  constructor(private readonly period = 20) {}

  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), this.period).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Forgets everything so far, including a hold still unrecorded because the timer has not fired since. */
  restart(): void {
    this.last = performance.now();
    this.take();
  }

  /** Mean and longest delay in ms since the previous call (or `start`); then starts a new window. */
  take(): { mean: number; max: number } {
    const window = { mean: this.count ? round(this.sum / this.count) : 0, max: round(this.max) };
    this.sum = this.count = this.max = 0;
    return window;
  }

  private tick(): void {
    const now = performance.now();
    const delay = Math.max(0, now - this.last - this.period);
    this.last = now;
    this.sum += delay;
    this.count++;
    this.max = Math.max(this.max, delay);
  }
}
