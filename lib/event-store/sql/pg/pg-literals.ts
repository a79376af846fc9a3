import type { SqlStatement } from '../sql-driver.interface.js';

/**
 * A PostgreSQL string literal of `value`, or NULL. A value with a backslash becomes an escape
 * string (E'...') with each backslash doubled, so it reads back the same whatever
 * `standard_conforming_strings` says.
 */
function sqlLiteral(value: string | null): string {
  if (value === null) return 'NULL';
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** The statement's text with its parameters written in as literals, for the simple query protocol. */
export function withLiterals({ text, params }: SqlStatement): string {
  return text.replace(/\$(\d+)/g, (_placeholder, index: string) => sqlLiteral(params[Number(index) - 1]));
}
