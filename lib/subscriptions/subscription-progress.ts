import { UnknownSubscriptionError } from '../errors/unknown-subscription.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { type PubSub, PubSubChannels } from '../pubsub/pubsub.interface.js';
import type { SubscriptionAck } from './subscription-ack.js';

/** How far a subscription is, e.g. during a rebuild. */
export interface SubscriptionProgress {
  name: string;
  /** Last acknowledged global position. */
  position: number;
  /** The store's head position now. */
  head: number;
  /** `head - position`. */
  behind: number;
  /** Positions passed per second over the recent window; null until two samples are known. */
  eventsPerSecond: number | null;
  /** Seconds to reach `head` at that rate: 0 when caught up, null when the rate is unknown or zero. */
  etaSeconds: number | null;
}

interface Sample {
  at: number;
  position: number;
}

/** Length of the window the rate is measured over. */
export const PROGRESS_WINDOW_MS = 10_000;

/**
 * Measures subscriptions' speed from their acknowledgements (heard on the pubsub, from any node)
 * and from the checkpoints read when asked, over a sliding {@link PROGRESS_WINDOW_MS}.
 */
export class ProgressTracker {
  private readonly samples = new Map<string, Sample[]>();

  constructor(
    private readonly store: EventStore,
    pubsub: PubSub,
  ) {
    pubsub.subscribe<SubscriptionAck>(PubSubChannels.ack, (ack) => this.acknowledged(ack.name, ack.position));
  }

  async progress(name: string): Promise<SubscriptionProgress> {
    const [state, head] = await Promise.all([this.store.control.readControl(name), this.store.headPosition()]);
    if (!state) throw new UnknownSubscriptionError(name);
    // A checkpoint read may return before an ack sent after it: never let it move the position back.
    const known = this.samples.get(name)?.at(-1)?.position ?? 0;
    const samples = this.sample(name, Math.max(known, state.position));
    const position = samples[samples.length - 1].position;
    const behind = Math.max(0, head - position);
    const first = samples[0];
    const last = samples[samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    const eventsPerSecond = samples.length > 1 && seconds > 0 ? (last.position - first.position) / seconds : null;
    const etaSeconds = behind === 0 ? 0 : eventsPerSecond ? behind / eventsPerSecond : null;
    return { name, position, head, behind, eventsPerSecond, etaSeconds };
  }

  /** An owner acknowledges in order, so a lower position than the last means a reset: the window starts over. */
  private acknowledged(name: string, position: number): void {
    const last = this.samples.get(name)?.at(-1);
    if (last && position < last.position) this.samples.delete(name);
    if (last?.position !== position) this.sample(name, position);
  }

  private sample(name: string, position: number): Sample[] {
    const now = Date.now();
    let samples = this.samples.get(name) ?? [];
    samples.push({ at: now, position });
    const start = samples.findIndex((s) => s.at >= now - PROGRESS_WINDOW_MS);
    // Keep one sample older than the window as the rate's base, so a quiet spell still measures.
    samples = samples.slice(Math.max(0, start - 1));
    this.samples.set(name, samples);
    return samples;
  }
}
