import { performance } from 'node:perf_hooks';
import type { Type } from '@nestjs/common';
import type { EventStore } from '../lib/index.js';
import { uuidV7 } from '../lib/util/uuid-v7.js';
import type { BenchApp } from './bench-app.js';
import type { Figures } from './bench-measure.js';
import { percentile } from './bench-stats.js';
import { GROWTH_EVENTS, growthProjectorOf, type GrowthPayload } from './growth-domain.js';
import { growthType } from './growth-seed.js';

/** Live subscriptions running besides the measured one. */
export const OTHER_LIVE_SUBSCRIPTIONS = 30;
const SEEN_TIMEOUT_MS = 30_000;
const WARM_UP = 10;

/** The measured projector and the 30 others of a live-latency run, all from the store's end, all on the first growth type. */
export class LiveLatency {
  private readonly sentAt = new Map<number, number>();
  private readonly waiting = new Map<number, () => void>();
  private readonly samples: number[] = [];

  constructor(private readonly token: string) {}

  /** The 31 projector classes to start the app with. */
  projectors(): Type[] {
    const measured = growthProjectorOf(`b12-live-${this.token}`, [GROWTH_EVENTS[0]], (event) => this.seen(event), 'current');
    const others = Array.from({ length: OTHER_LIVE_SUBSCRIPTIONS }, (_, i) =>
      growthProjectorOf(`b12-other-${this.token}-${i}`, [GROWTH_EVENTS[0]], () => undefined, 'current'),
    );
    return [measured, ...others];
  }

  /**
   * `count` appends of one event, one after the other, each waiting until the measured projector
   * handled it: ms from the call to `appendToStream` to the handler, p50 and p99.
   */
  async run(app: BenchApp, store: EventStore, count: number, round: number): Promise<Figures> {
    await this.allRunning(app);
    this.samples.length = 0;
    const stream = `wallet-live-${this.token}-${round}`;
    for (let i = 0; i < count; i++) {
      const handled = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Live event ${i} was not handled within ${SEEN_TIMEOUT_MS} ms`)), SEEN_TIMEOUT_MS);
        this.waiting.set(i, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.sentAt.set(i, performance.now());
      const data = { walletId: `live-${this.token}`, amount: i, balance: i };
      await store.appendToStream(stream, i, [{ eventId: uuidV7(), eventType: growthType(0), data, metadata: { schemaVersion: 1 } }]);
      await handled;
    }
    // The first appends wake connections and caches: not what a live subscription's tail is.
    const measured = this.samples.slice(WARM_UP);
    return { p50: percentile(measured, 50), p99: percentile(measured, 99) };
  }

  private async allRunning(app: BenchApp): Promise<void> {
    const deadline = Date.now() + SEEN_TIMEOUT_MS;
    while (app.subscriptions.statuses().some((status) => status.name.includes(this.token) && status.state !== 'running')) {
      if (Date.now() > deadline) throw new Error(`The live subscriptions were not all running within ${SEEN_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private seen(event: GrowthPayload): void {
    if (event.walletId !== `live-${this.token}`) return;
    const sent = this.sentAt.get(event.amount);
    if (sent === undefined) return;
    this.samples.push(performance.now() - sent);
    this.waiting.get(event.amount)?.();
  }
}
