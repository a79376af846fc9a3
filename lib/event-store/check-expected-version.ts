import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error.js';
import { ANY, type ExpectedVersion, NO_STREAM, STREAM_EXISTS } from './expected-version.js';

/** Throws `WrongExpectedVersionError` unless a stream at `actual` satisfies `expected`. */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok = expected === ANY || (expected === NO_STREAM && actual === 0) || (expected === STREAM_EXISTS && actual > 0) || expected === actual;
  if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
}
