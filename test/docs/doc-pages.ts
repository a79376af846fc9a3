import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../harness/sample-build.js';

/** The text of a page under docs/. */
export const docPage = (name: string): string => readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');

/** The bodies of a page's fenced code blocks in `language`, in order. */
export const fencedBlocks = (markdown: string, language: string): string[] =>
  [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter(([, lang]) => lang === language).map(([, , body]) => body);

/** Compiler settings of the library's own checks: the repository's tsconfig, nothing emitted. */
export function repoCompilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(REPO_ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  return { ...parsed.options, noEmit: true };
}
