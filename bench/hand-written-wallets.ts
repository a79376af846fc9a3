import { randomUUID } from 'node:crypto';
import { WALLET_CREDITED, WALLET_PREFIX } from './bench-domain.js';

interface StoredCredit {
  eventId: string;
  eventType: string;
  data: { walletId: string; amount: number; balance: number };
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  createdAt: Date;
}

interface WalletState {
  balance: number;
  credits: number;
  version: number;
}

const apply = (state: WalletState, event: StoredCredit): void => {
  state.balance = event.data.balance;
  state.credits++;
  state.version = event.streamVersion;
};

/**
 * B3's baseline: what a developer would write by hand for the same work, on a Map and an array.
 * Per command: load the wallet (replayed from its stream on first use, then kept live), decide
 * the event, append it with an expected-version check (an awaited call, as any store is), apply
 * it, and hand it to the subscribers.
 */
export class HandWrittenWallets {
  private readonly live = new Map<string, WalletState>();
  private readonly streams = new Map<string, StoredCredit[]>();
  private readonly all: StoredCredit[] = [];
  private readonly subscribers: Array<(event: StoredCredit) => void> = [];

  /** Registers a subscriber called with every appended event. */
  subscribe(subscriber: (event: StoredCredit) => void): void {
    this.subscribers.push(subscriber);
  }

  async credit(walletId: string, amount: number): Promise<void> {
    const streamId = `${WALLET_PREFIX}${walletId}`;
    const state = this.load(streamId);
    const data = { walletId, amount, balance: state.balance + amount };
    const event = await this.append(streamId, state.version, randomUUID(), data);
    apply(state, event);
    for (const subscriber of this.subscribers) subscriber(event);
  }

  private load(streamId: string): WalletState {
    let state = this.live.get(streamId);
    if (!state) {
      state = { balance: 0, credits: 0, version: 0 };
      for (const event of this.streams.get(streamId) ?? []) apply(state, event);
      this.live.set(streamId, state);
    }
    return state;
  }

  private async append(streamId: string, expected: number, eventId: string, data: StoredCredit['data']): Promise<StoredCredit> {
    let stream = this.streams.get(streamId);
    if (!stream) this.streams.set(streamId, (stream = []));
    if (stream.length !== expected) throw new Error(`${streamId} is at ${stream.length}, expected ${expected}`);
    const event: StoredCredit = {
      eventId,
      eventType: WALLET_CREDITED,
      data,
      streamId,
      streamVersion: stream.length + 1,
      globalPosition: this.all.length + 1,
      createdAt: new Date(),
    };
    stream.push(event);
    this.all.push(event);
    return event;
  }
}
