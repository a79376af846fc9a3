import type { AllStreamFilter } from '../all-stream-filter.js';

/**
 * The SQL condition an event row must meet to pass a filter, on three parameters from `$first`:
 * the types, the stream, the stream prefix ({@link filterParams}); a null parameter narrows nothing.
 */
export function filterPredicate(first: number): string {
  const [types, stream, prefix] = [first, first + 1, first + 2];
  return `($${types}::text[] IS NULL OR event_type = ANY($${types}::text[]))
                 AND ($${stream}::text IS NULL OR stream_id = $${stream}::text)
                 AND ($${prefix}::text IS NULL OR starts_with(stream_id, $${prefix}::text))`;
}

/** The parameters of {@link filterPredicate}, in its order. */
export const filterParams = (filter: AllStreamFilter = {}): Array<readonly string[] | string | null> => [
  filter.eventTypes ?? null,
  filter.streamId ?? null,
  filter.streamPrefix ?? null,
];
