import { InvalidControlRequestError } from '../../errors/invalid-control-request.error.js';
import type { EventStore } from '../../event-store/event-store.interface.js';
import type { ResetTarget, SubscriptionControlState } from '../../event-store/subscription-control.interface.js';
import { type PubSub, PubSubChannels } from '../../pubsub/pubsub.interface.js';

/** Options of `SubscriptionManager.reset`. */
export interface ResetOptions {
  /** Where the checkpoint goes: the start, the store's head now, or a global position. @default 'origin' */
  to?: ResetTarget;
}

/** What travels on {@link PubSubChannels}.control. */
export interface ControlMessage {
  name: string;
}

/**
 * Operator requests made from this node: recorded in the store (the owner obeys what is stored,
 * so a lost announcement only delays it to the owner's next poll), then announced on the pubsub.
 */
export class ControlRequests {
  constructor(
    private readonly store: EventStore,
    private readonly pubsub: PubSub,
  ) {}

  async reset(name: string, options: ResetOptions = {}): Promise<SubscriptionControlState> {
    if (options === null || typeof options !== 'object') {
      throw new InvalidControlRequestError(`Reset options must be an object like { to: 'origin' }, got ${String(options)}`);
    }
    return this.announced(await this.store.control.requestReset(name, options.to ?? 'origin'));
  }

  async restart(name: string): Promise<SubscriptionControlState> {
    return this.announced(await this.store.control.requestRestart(name));
  }

  async setPaused(name: string, paused: boolean): Promise<SubscriptionControlState> {
    return this.announced(await this.store.control.setPaused(name, paused));
  }

  private announced(state: SubscriptionControlState): SubscriptionControlState {
    const message: ControlMessage = { name: state.name };
    this.pubsub.publish(PubSubChannels.control, message).catch(() => undefined); // the owner's poll covers a lost message
    return state;
  }
}
