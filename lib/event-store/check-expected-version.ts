import { StreamDeletedError } from '../errors/stream-deleted.error.js';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error.js';
import { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './expected-version.js';

/** Throws `WrongExpectedVersionError` unless a stream at `actual` satisfies `expected`. */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok = expected === ANY || (expected === NO_STREAM && actual === 0) || (expected === STREAM_EXISTS && actual > 0) || expected === actual;
  if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
}

/**
 * Throws `StreamDeletedError` when an append expecting `any` or `stream_exists` meets the tombstone
 * of a deleted stream (`endsDeleted`); one at the tombstone's exact version re-creates the stream.
 * The SQL adapters make the same check in their append functions (`meetsTombstone`).
 */
export function checkNotDeleted(streamId: string, expected: ExpectedVersion, version: number, endsDeleted: boolean): void {
  if (endsDeleted && (expected === ANY || expected === STREAM_EXISTS)) throw new StreamDeletedError(streamId, version);
}
