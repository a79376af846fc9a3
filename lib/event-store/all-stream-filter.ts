import { InvalidOptionsError } from '../errors/invalid-options.error.js';

/**
 * Which events a reader of all streams returns; every field narrows it, and an absent field
 * narrows nothing. The store does the filtering, so events a subscription does not handle are
 * never shipped or decoded.
 */
export interface AllStreamFilter {
  /** Only events of these stored type names. @default every type */
  eventTypes?: readonly string[];
  /** Only events of this one stream. @default every stream */
  streamId?: string;
  /** Only events of streams whose id starts with this (a category, e.g. `'account-'`). @default every stream */
  streamPrefix?: string;
}

/** True when `filter` narrows nothing: a plain reader of every event is cheaper. */
export const filtersNothing = (filter?: AllStreamFilter): boolean =>
  !filter || (filter.eventTypes === undefined && filter.streamId === undefined && filter.streamPrefix === undefined);

/** Whether a stored event passes `filter`. */
export function passesFilter(filter: AllStreamFilter, event: { eventType: string; streamId: string }): boolean {
  if (filter.eventTypes && !filter.eventTypes.includes(event.eventType)) return false;
  if (filter.streamId !== undefined && event.streamId !== filter.streamId) return false;
  return filter.streamPrefix === undefined || event.streamId.startsWith(filter.streamPrefix);
}

/** Throws `InvalidOptionsError` for a malformed filter, before anything is read. */
export function assertFilter(filter: AllStreamFilter): void {
  if (filter.streamId !== undefined && filter.streamPrefix !== undefined) {
    throw new InvalidOptionsError(['a reader follows one stream (streamId) or a category (streamPrefix), not both']);
  }
  for (const [field, value] of Object.entries({ streamId: filter.streamId, streamPrefix: filter.streamPrefix })) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new InvalidOptionsError([`${field} must be a non-empty string`]);
  }
  if (filter.eventTypes && (!Array.isArray(filter.eventTypes) || filter.eventTypes.some((type) => typeof type !== 'string'))) {
    throw new InvalidOptionsError(['eventTypes must be a list of stored event type names']);
  }
}
