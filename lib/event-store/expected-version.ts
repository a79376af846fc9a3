import { listed } from '../util/listed.js';
import { shown } from './store-strings.js';

/** Append whatever the stream's current version is: no concurrency check. */
export const ANY = 'any' as const;
/** Append only when the stream has no events yet. */
export const NO_STREAM = 'no_stream' as const;
/** Append only when the stream already has at least one event. */
export const STREAM_EXISTS = 'stream_exists' as const;

/** The named expected versions, for checks and messages. */
export const EXPECTED_VERSION_NAMES = [ANY, NO_STREAM, STREAM_EXISTS] as const;

/**
 * What an append expects of its stream: an exact version (the number of events already in it;
 * `0` means empty), or one of {@link ANY}, {@link NO_STREAM}, {@link STREAM_EXISTS}.
 */
export type ExpectedVersion = number | (typeof EXPECTED_VERSION_NAMES)[number];

/** Highest stream version the stores accept (a PostgreSQL integer). */
export const MAX_STREAM_VERSION = 2 ** 31 - 1;

/** Why `value` is no {@link ExpectedVersion}, or undefined. */
export function expectedVersionProblem(value: unknown): string | undefined {
  if ((EXPECTED_VERSION_NAMES as readonly unknown[]).includes(value)) return undefined;
  if (Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_STREAM_VERSION) return undefined;
  return `must be a whole number from 0 to ${MAX_STREAM_VERSION} or one of ${listed(EXPECTED_VERSION_NAMES)}, got ${shown(value)}`;
}
