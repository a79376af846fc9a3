import { type AggregateAt, parseAggregateAt } from '../event-store/aggregate-at.js';

/** Query values arrive as text; a missing one stays undefined, anything else is checked by the reader. */
export const numberOrUndefined = (value: unknown): number | undefined => (value === undefined || value === '' ? undefined : Number(value));
export const textOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
/** `at`: a stream version or an ISO time, as the page sends it. */
export const atOrUndefined = (value: unknown): AggregateAt | undefined => {
  const text = textOrUndefined(value);
  return text === undefined ? undefined : parseAggregateAt(text);
};
