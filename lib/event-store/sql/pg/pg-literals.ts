import pg from 'pg';
import type { SqlStatement } from '../sql-driver.interface.js';

/**
 * A PostgreSQL string literal of `value`, or NULL. `pg` writes a value holding a backslash as an
 * escape string (E'...') with each backslash doubled, so it reads back the same whatever
 * `standard_conforming_strings` says.
 */
const sqlLiteral = (value: string | null): string => (value === null ? 'NULL' : pg.escapeLiteral(value));

/** The statement's text with its parameters written in as literals, for the simple query protocol. */
export function withLiterals({ text, params }: SqlStatement): string {
  return text.replace(/\$(\d+)/g, (_placeholder, index: string) => sqlLiteral(params[Number(index) - 1]));
}
