import type { Type } from '@nestjs/common';
import { WaitTimeoutError } from '../errors/wait-timeout.error.js';
import { domainEventOf } from '../events/event-serializer.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { WakeUp } from '../subscriptions/wake-up.js';

/** Which event to wait for: a stored type name, a `@DomainEvent` class, or a predicate. */
export type EventMatcher = string | Type | ((event: RecordedEvent) => boolean);

/** Options of {@link waitForEvent}. */
export interface WaitForEventOptions {
  /** Give up after this many ms. @default 30000 */
  timeout?: number;
  /** Only consider events after this global position. @default 0 */
  after?: number;
  /** Poll the store this often when no append notification comes, in ms. @default 50 */
  interval?: number;
}

const PAGE_SIZE = 500;

/**
 * Resolves with the first stored event (in global order, after `options.after`) that matches,
 * waiting for it to be appended if needed; rejects with `WaitTimeoutError` after the timeout.
 *
 * @example const opened = await waitForEvent(app.get(EventStore), AccountOpened, { timeout: 2000 });
 */
export async function waitForEvent(store: EventStore, match: EventMatcher, options: WaitForEventOptions = {}): Promise<RecordedEvent> {
  const { timeout = 30_000, after = 0, interval = 50 } = options;
  const [matches, description] = matcherOf(match);
  const deadline = Date.now() + timeout;
  const wakeUp = new WakeUp();
  const unsubscribe = store.onAppended(() => wakeUp.notify());
  try {
    const reader = store.openAllReader(after);
    for (;;) {
      const page = await reader.next(PAGE_SIZE);
      const found = page.find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new WaitTimeoutError(`${description} after position ${after}`, timeout);
      if (!page.length) await wakeUp.wait(Math.min(left, interval));
    }
  } finally {
    unsubscribe();
  }
}

function matcherOf(match: EventMatcher): [(event: RecordedEvent) => boolean, string] {
  const typeName = typeof match === 'string' ? match : domainEventOf(match as Type)?.name;
  if (typeName !== undefined) return [(event) => event.eventType === typeName, `an event of type '${typeName}'`];
  return [match as (event: RecordedEvent) => boolean, 'an event matching the predicate'];
}
