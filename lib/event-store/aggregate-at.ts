import { AggregateNotFoundError } from '../errors/aggregate-not-found.error.js';
import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { VersionNotReachedError } from '../errors/version-not-reached.error.js';
import type { EventStore } from './event-store.interface.js';
import { isoTime, isValidDate, shown } from './store-strings.js';

/**
 * A point in an aggregate's (a stream's) history, to load it as it was then:
 * - `{ version }`: right after its event of that stream version (from 1 to the stream's version);
 * - `{ time }`: as of that time, inclusive: with every event recorded at or before it, to the
 *   millisecond. Times are the events' `createdAt`, set by the store's clock (the database's
 *   `now()` when the appending transaction began on PostgreSQL and embedded; the process's clock
 *   on the memory store), not the clock of the node that ran the command.
 */
export type AggregateAt = { version: number; time?: undefined } | { time: Date; version?: undefined };

/** Throws `InvalidOptionsError` unless `at` is a version of 1 or more or a valid Date, and not both. */
export function assertAggregateAt(at: unknown): asserts at is AggregateAt {
  const { version, time } = (typeof at === 'object' && at !== null ? at : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if ((version === undefined) === (time === undefined)) {
    problems.push(`'at' must be { version } or { time }, exactly one of them, got ${shown(JSON.stringify(at))}`);
  } else if (version !== undefined && (!Number.isSafeInteger(version) || (version as number) < 1)) {
    problems.push(`'at.version' must be a stream version, a whole number of 1 or more, got ${shown(version)}`);
  } else if (time !== undefined && !isValidDate(time)) {
    problems.push(`'at.time' must be a valid Date, got ${shown(time)}`);
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}

/** Throws `InvalidOptionsError` unless `time` is a valid Date (a store's `streamVersionAt`). */
export function assertTime(time: unknown): asserts time is Date {
  if (!isValidDate(time)) throw new InvalidOptionsError([`'time' must be a valid Date, got ${shown(time)}`]);
}

/** Reads a point from text, as the CLI and the inspector take it: a stream version or an ISO 8601 time. */
export function parseAggregateAt(text: string): AggregateAt {
  if (/^\d+$/.test(text)) {
    const at = { version: Number(text) };
    assertAggregateAt(at);
    return at;
  }
  const time = isoTime(text);
  if (!time) {
    throw new InvalidOptionsError([`'at' must be a stream version (1 or more) or an ISO time (2026-12-06T08:00:00Z), got ${shown(text)}`]);
  }
  return { time };
}

/** The point in words, for messages: `version 5` or `2026-12-06T08:00:00.000Z`. */
export const describeAt = (at: AggregateAt): string => (at.time ? at.time.toISOString() : `version ${at.version}`);

/**
 * The last stream version `at` takes in: the version itself, once the stream has reached it, or the
 * last recorded by the time (0 when none was). A version fails with `AggregateNotFoundError` on a
 * stream with no events and `VersionNotReachedError` past its version.
 */
export async function versionAt(store: Pick<EventStore, 'streamVersion' | 'streamVersionAt'>, streamId: string, at: AggregateAt): Promise<number> {
  assertAggregateAt(at);
  if (at.time) return store.streamVersionAt(streamId, at.time);
  const head = await store.streamVersion(streamId);
  if (head === 0) throw new AggregateNotFoundError(streamId);
  if (at.version > head) throw new VersionNotReachedError(streamId, at.version, head);
  return at.version;
}
