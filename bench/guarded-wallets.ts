import { randomUUID } from 'node:crypto';
import { assertAppendShape } from '../lib/event-store/append-input.js';
import { storedEvents } from '../lib/event-store/memory/stored-events.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../lib/event-store/payload-size.js';
import type { NewEvent, RecordedEvent } from '../lib/event-store/recorded-event.js';
import { awaitDeadline } from '../lib/util/await-deadline.js';
import { jsonCopy } from '../lib/util/json-copy.js';
import { uuidV7 } from '../lib/util/uuid-v7.js';
import { WALLET_CREDITED, WALLET_PREFIX } from './bench-domain.js';

const TIMEOUT_MS = 5_000;

interface WalletState {
  balance: number;
  version: number;
}

/**
 * B3's floor: the hand-written loop of {@link HandWrittenWallets} keeping, by hand, the guarantees
 * a dispatch on the memory store keeps, through the library's own functions for each: a command id,
 * the event's data copied as JSON, a time-ordered event id, the append under a deadline, its input
 * checked, its payload copied and frozen with its strings and size checked, its event id refused
 * if already stored; then the same one subscriber called. No routing, mailbox, telemetry or layers
 * between: what is left of ours once those are gone.
 */
export class GuardedWallets {
  private readonly live = new Map<string, WalletState>();
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly all: RecordedEvent[] = [];
  private readonly eventIds = new Set<string>();
  private readonly subscribers: Array<(event: RecordedEvent) => void> = [];

  /** Registers a subscriber called with every appended event. */
  subscribe(subscriber: (event: RecordedEvent) => void): void {
    this.subscribers.push(subscriber);
  }

  async credit(walletId: string, amount: number): Promise<void> {
    const streamId = `${WALLET_PREFIX}${walletId}`;
    let state = this.live.get(streamId);
    if (!state) this.live.set(streamId, (state = { balance: 0, version: this.streams.get(streamId)?.length ?? 0 }));
    const commandId = randomUUID();
    const event: NewEvent = {
      eventId: uuidV7(),
      eventType: WALLET_CREDITED,
      data: jsonCopy({ walletId, amount, balance: state.balance + amount }),
      metadata: { commandId },
      causationId: commandId,
      correlationId: commandId,
    };
    const [stored] = await awaitDeadline(this.append(streamId, state.version, event), TIMEOUT_MS, () => new Error('timed out'));
    state.balance = (stored.data as { balance: number }).balance;
    state.version = stored.streamVersion;
    for (const subscriber of this.subscribers) subscriber(stored);
  }

  private async append(streamId: string, expected: number, event: NewEvent): Promise<RecordedEvent[]> {
    assertAppendShape(streamId, expected, [event]);
    let stream = this.streams.get(streamId);
    if (!stream) this.streams.set(streamId, (stream = []));
    const place = { streamId, version: stream.length, position: this.all.length, createdAt: new Date() };
    const recorded = storedEvents([event], place, DEFAULT_MAX_PAYLOAD_BYTES);
    if (stream.length !== expected) throw new Error(`${streamId} is at ${stream.length}, expected ${expected}`);
    const held = this.eventIds.size;
    if (this.eventIds.add(event.eventId).size === held) throw new Error(`event ${event.eventId} is stored already`);
    stream.push(recorded[0]);
    this.all.push(recorded[0]);
    return recorded;
  }
}
