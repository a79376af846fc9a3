import { Injectable, Logger } from '@nestjs/common';
import type { RecordedEvent } from '../event-store/recorded-event.js';

/** A stored event this code met and could not read (see `UnknownEventTypeError`). */
export interface UnreadableEvent {
  eventType: string;
  streamId: string;
  /** Global position of the event. */
  position: number;
  streamVersion: number;
  /** What is missing and how to fix it. */
  message: string;
  at: Date;
}

/** What a health check reports about an event that failed to be read. */
export const unreadableEventOf = (recorded: RecordedEvent, error: unknown): UnreadableEvent => ({
  eventType: recorded.eventType,
  streamId: recorded.streamId,
  position: recorded.globalPosition,
  streamVersion: recorded.streamVersion,
  message: error instanceof Error ? error.message : String(error),
  at: new Date(),
});

/**
 * Stored events aggregates could not load, first one per type. Registered types are fixed at boot,
 * so one that is unreadable stays so until a deploy makes it readable and the process restarts:
 * until then the node is not ready, and every command to those aggregates fails.
 */
@Injectable()
export class UnreadableEvents {
  private readonly logger = new Logger('AggregateLoader');
  private readonly byType = new Map<string, UnreadableEvent>();

  /** Records (and logs, once per type) the event a load failed on. */
  met(recorded: RecordedEvent, error: unknown): void {
    if (this.byType.has(recorded.eventType)) return;
    const found = unreadableEventOf(recorded, error);
    this.byType.set(recorded.eventType, found);
    this.logger.error(`Aggregate stream '${found.streamId}' cannot be loaded: ${found.message}`);
  }

  list(): UnreadableEvent[] {
    return [...this.byType.values()];
  }
}
