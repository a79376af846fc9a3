import * as api from '../../lib/index.js';
import { docPage } from './doc-pages.js';

type ErrorClass = (abstract new (...args: never[]) => Error) & { code?: string };

/** Every error class the public API exports: the base and everything extending it. */
const errorClasses = Object.entries(api as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && (entry[1] === api.EventSourcingError || entry[1].prototype instanceof api.EventSourcingError),
);

/** The page's `## Name` sections, by name. */
function sections(page: string): Map<string, string> {
  const parts = page.split(/^## /m).slice(1);
  return new Map(parts.map((part) => [part.slice(0, part.indexOf('\n')).trim(), part]));
}

describe('docs/errors.md', () => {
  const documented = sections(docPage('errors.md'));

  it('finds the exported error classes', () => {
    expect(errorClasses.length).toBeGreaterThan(20);
  });

  it.each(errorClasses.map(([name, type]) => [name, type]))('has a section for %s with its code', (name, type) => {
    const section = documented.get(name);
    expect(section).toBeDefined();
    if (type.code) expect(section).toContain(`\`${type.code}\``);
  });

  it('has no section for a class the API does not export', () => {
    const exported = new Set(errorClasses.map(([name]) => name));
    expect([...documented.keys()].filter((name) => !exported.has(name))).toEqual([]);
  });
});
