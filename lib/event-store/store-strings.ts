import { InvalidIdentifierError } from '../errors/invalid-identifier.error.js';

/**
 * Longest id the stores accept, in UTF-16 code units. Its UTF-8 form (at most 3 bytes a unit)
 * stays well inside what a PostgreSQL btree entry holds (about 2,700 bytes), so an indexed id
 * never fails deep in the database.
 */
export const MAX_IDENTIFIER_LENGTH = 500;

// String.prototype.isWellFormed is in Node 20 but not in the ES2022 typings.
const isWellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Why PostgreSQL cannot keep `value` as text, or undefined: a NUL is refused (SQLSTATE 22021)
 * and a lone surrogate would be silently replaced, so the value read back would differ.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000), which PostgreSQL cannot store';
  if (!isWellFormed(value)) return 'contains a lone surrogate, which is not valid Unicode';
  return undefined;
}

/** True when PostgreSQL keeps `value` as text, unchanged (see {@link textProblem}). */
export const isStorableText = (value: string): boolean => textProblem(value) === undefined;

/** Why `value` cannot be an id (stream id, command id, subscription name, event type), or undefined. */
export function identifierProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > MAX_IDENTIFIER_LENGTH) return `must be at most ${MAX_IDENTIFIER_LENGTH} characters, got ${value.length}`;
  return textProblem(value);
}

/** An ISO 8601 time with at least a date, e.g. 2026-12-06 or 2026-12-06T08:00:00Z. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The time an ISO 8601 text names (see {@link ISO_TIME}), or undefined when it names none. */
export function isoTime(text: string): Date | undefined {
  return ISO_TIME.test(text) && !Number.isNaN(Date.parse(text)) ? new Date(text) : undefined;
}

/** True for a valid Date, also one made in another realm (a VM context, `structuredClone` under Jest). */
export const isValidDate = (value: unknown): value is Date =>
  Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime());

/** A value shortened for an error message. */
export const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Throws `InvalidIdentifierError` unless `value` is an id every store can hold. */
export function assertIdentifier(kind: string, value: unknown): void {
  const problem = identifierProblem(value);
  if (problem) throw new InvalidIdentifierError(kind, `${shown(value)} ${problem}`);
}

// In JSON text a NUL is written \u0000 and a lone surrogate \udXXX (well-formed pairs stay raw);
// an odd run of backslashes before the escape makes it the escape, an even one a literal backslash.
const BAD_ESCAPE = /(?<!\\)(?:\\\\)*\\u(0000|d[89a-f][0-9a-f]{2})/i;

/**
 * Why PostgreSQL's jsonb would refuse this JSON text (SQLSTATE 22P05), or undefined. Checked on
 * the JSON the caller has already built, so the common case costs one substring search.
 */
export function jsonTextProblem(json: string): string | undefined {
  const match = json.includes('\\u') ? BAD_ESCAPE.exec(json) : null;
  if (!match) return undefined;
  return match[1] === '0000' ? 'contains a NUL character (\\u0000)' : 'contains a lone surrogate';
}
