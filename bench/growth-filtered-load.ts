import { performance } from 'node:perf_hooks';
import { EventStore } from '../lib/index.js';
import { PubSubChannels } from '../lib/pubsub/pubsub.interface.js';
import type { SubscriptionAck } from '../lib/subscriptions/subscription-ack.js';
import { sleep } from '../lib/subscriptions/wake-up.js';
import { uuidV7 } from '../lib/util/uuid-v7.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { type DatabaseLoad, loadBetween, LoadMonitor } from './database-load.js';
import { GROWTH_EVENTS, growthProjectorOf } from './growth-domain.js';
import { GROWTH_TYPES, growthType } from './growth-seed.js';

/** Appends per second the live workload keeps to (fewer only when the machine cannot). */
export const FILTERED_LOAD_PACE = 200;
const CAUGHT_UP_TIMEOUT_MS = 60_000;
/** PostgreSQL adds an idle backend's counts to the shared ones within 10 s: earlier work's are all in after this. */
const COUNTS_FLUSHED_MS = 11_000;
/** The one and the many filtered projectors the target compares. */
export const [ONE_PROJECTOR, MANY_PROJECTORS] = [1, 30];
/** The projectors of each run: the one, the many, and none (the appends alone). */
export const FILTERED_LOAD_PROJECTORS = [ONE_PROJECTOR, MANY_PROJECTORS, 0];

/** One measured run: the database's load with the projectors' start and stop taken out, and what the projectors did. */
export interface FilteredLoadFigures {
  load: DatabaseLoad;
  /** Checkpoint moves of all the projectors during the workload: each is a read that found the head had moved, and a write. */
  checkpoints: number;
  /** Events the projectors' handlers ran for. */
  handled: number;
  /** Appends made, and per second achieved. */
  appends: number;
  rate: number;
  /** Client sessions, besides the run's own, that ran statements in the database during the run. */
  others: number;
}

/** A run's figures by name, as B12 keeps its values. */
export const loadValues = ({ load, ...rest }: FilteredLoadFigures): Record<string, number> => ({ ...load, ...rest });

/**
 * The live workload of B12's `filtered-load` part: `appends` single-event appends at
 * {@link FILTERED_LOAD_PACE}, the type going round the 50 growth types, through an app running
 * `projectors` filtered projectors (the j-th handles type j only, from the store's end), until
 * every projector has acknowledged the last position. The database's counters are read only while
 * none of the app's sessions is open, so each backend's counts are in; and the same app started and
 * closed without the workload, measured the same way, is subtracted, which leaves the live
 * workload's load (appends, wake-ups, polls, checkpoints) without the one-off start and stop.
 */
export class FilteredLoad {
  private constructor(
    private readonly monitor: LoadMonitor,
    private readonly url: string,
    private readonly schema: string,
    private readonly token: string,
    private readonly appends: number,
  ) {}

  /** Watches the database of `url`, once the counts of what ran before are in. */
  static async open(url: string, schema: string, token: string, appends: number): Promise<FilteredLoad> {
    const monitor = await LoadMonitor.open(url);
    await sleep(COUNTS_FLUSHED_MS);
    return new FilteredLoad(monitor, url, schema, token, appends);
  }

  close(): Promise<void> {
    return this.monitor.close();
  }

  async measure(projectors: number, round: number): Promise<FilteredLoadFigures> {
    const live = await this.lifecycle(projectors, `${round}`, true);
    const bare = await this.lifecycle(projectors, `${round}s`, false);
    return { ...live, load: loadBetween(bare.load, live.load), others: live.others + bare.others };
  }

  private async lifecycle(projectors: number, run: string, workload: boolean): Promise<FilteredLoadFigures> {
    const prefix = `b12-filtered-${this.token}-${projectors}-${run}`;
    const names = Array.from({ length: projectors }, (_, j) => `${prefix}-${j}`);
    const counts = { handled: 0, checkpoints: 0 };
    const classes = names.map((name, j) => growthProjectorOf(name, [GROWTH_EVENTS[j]], () => counts.handled++, 'current'));
    const options = {
      eventStore: { adapter: 'postgres' as const, connectionString: this.url, schema: this.schema, pool: { application_name: prefix } },
    };
    const before = await this.monitor.read();
    const app = await startBenchApp(options, classes);
    let rate = 0;
    try {
      const store = app.context.get<symbol, EventStore>(EventStore);
      await caughtUp(app, names, await store.headPosition());
      if (workload) {
        const unsubscribe = app.pubsub.subscribe<SubscriptionAck>(PubSubChannels.ack, (ack) => names.includes(ack.name) && counts.checkpoints++);
        const appended = await this.appendAtPace(store, prefix);
        await caughtUp(app, names, appended.last);
        unsubscribe();
        rate = appended.rate;
      }
    } finally {
      await app.close();
    }
    await this.monitor.gone(prefix);
    const after = await this.monitor.read();
    const appends = workload ? this.appends : 0;
    return { load: loadBetween(before, after), ...counts, appends, rate, others: await this.monitor.activeSince(before.at) };
  }

  /**
   * The appends, each due at its place in the pace, each the first event of a stream of its own:
   * then an append costs the same on every store, whatever the planner makes of the version check
   * of a stream with events; the last position and the rate achieved.
   */
  private async appendAtPace(store: EventStore, prefix: string): Promise<{ last: number; rate: number }> {
    const started = performance.now();
    let last = 0;
    for (let i = 0; i < this.appends; i++) {
      const early = started + (i * 1000) / FILTERED_LOAD_PACE - performance.now();
      if (early > 0) await sleep(early);
      const data = { walletId: `${prefix}-${i}`, amount: i, balance: i };
      const event = { eventId: uuidV7(), eventType: growthType(i % GROWTH_TYPES), data, metadata: { schemaVersion: 1 } };
      last = (await store.appendToStream(`wallet-${prefix}-${i}`, 0, [event])).globalPosition;
    }
    return { last, rate: this.appends / ((performance.now() - started) / 1000) };
  }
}

/** Resolves once every one of `names` runs here and has acknowledged `position`. */
async function caughtUp(app: BenchApp, names: string[], position: number): Promise<void> {
  const deadline = Date.now() + CAUGHT_UP_TIMEOUT_MS;
  const behind = () =>
    names.filter((name) => {
      const status = app.subscriptions.status(name);
      return status?.state !== 'running' || status.position < position;
    });
  while (behind().length) {
    if (Date.now() > deadline)
      throw new Error(`Projectors ${behind().join(', ')} had not acknowledged position ${position} within ${CAUGHT_UP_TIMEOUT_MS} ms`);
    await sleep(10);
  }
}
