import type { SubscriptionControlState } from '../../event-store/subscription-control.interface.js';

/**
 * The latest stored control state of one subscription as this process heard of it (polls, pubsub
 * announcements, its own reads), for an owner that must react: stop delivering on a pause, leave
 * on a raised epoch. States may arrive out of date; an owner re-reads the store before acting.
 */
export class ControlWatch {
  private latest?: SubscriptionControlState;
  private readonly listeners = new Set<() => void>();

  get state(): SubscriptionControlState | undefined {
    return this.latest;
  }

  update(state: SubscriptionControlState): void {
    this.latest = state;
    [...this.listeners].forEach((listener) => listener());
  }

  /** Resolves once a state passing `test` is known, or when `signal` aborts. */
  until(test: (state: SubscriptionControlState) => boolean, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!signal.aborted && !(this.latest && test(this.latest))) return;
        this.listeners.delete(check);
        signal.removeEventListener('abort', check);
        resolve();
      };
      this.listeners.add(check);
      signal.addEventListener('abort', check, { once: true });
      check();
    });
  }

  /** A signal that aborts once a state passing `test` is known, or with `signal`. */
  signalWhen(test: (state: SubscriptionControlState) => boolean, signal: AbortSignal): AbortSignal {
    const interrupt = new AbortController();
    void this.until(test, signal).then(() => interrupt.abort());
    return interrupt.signal;
  }
}
