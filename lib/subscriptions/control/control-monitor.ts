import type { EventStore } from '../../event-store/event-store.interface.js';
import type { SubscriptionControlState } from '../../event-store/subscription-control.interface.js';
import { type PubSub, PubSubChannels } from '../../pubsub/pubsub.interface.js';

/**
 * Keeps this process's runners told of their subscriptions' stored control state: one read of
 * every row per poll interval (requests made by a tool holding only the store arrive this way),
 * and one more at once when a node announces a request on the pubsub.
 */
export class ControlMonitor {
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private reading = false;
  private again = false;

  constructor(
    private readonly store: EventStore,
    private readonly pubsub: PubSub,
    private readonly interval: number,
    private readonly deliver: (state: SubscriptionControlState) => void,
  ) {}

  start(): void {
    this.unsubscribe ??= this.pubsub.subscribe(PubSubChannels.control, () => this.read());
    if (this.timer) return;
    this.timer = setInterval(() => this.read(), this.interval);
    // Standbys show the stored checkpoints from the start, not after the first interval.
    this.read();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** One read at a time; a request announced during a read gets a read after it. */
  private read(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    this.store.control
      .listControl()
      .then((states) => states.forEach((state) => this.deliver(state)))
      .catch(() => undefined) // the next poll tries again; the store being down shows elsewhere
      .finally(() => {
        this.reading = false;
        if (this.again && this.timer) {
          this.again = false;
          this.read();
        }
      });
  }
}
