import { dirname, join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../harness/sample-build.js';
import { docPage, fencedBlocks } from './doc-pages.js';

/** Where the guide's files are laid out (in memory only): inside the repository, so they resolve its packages. */
const PROJECT = join(REPO_ROOT, 'docs', 'getting-started-project');

/** The guide's TypeScript files, each block named by its first line: `// src/orders/order.aggregate.ts`. */
function guideFiles(page: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of fencedBlocks(page, 'ts')) {
    const path = /^\/\/ (src\/[\w./-]+\.ts)\n/.exec(block)?.[1];
    if (!path) throw new Error(`A ts block of getting-started.md does not start with its file name (// src/...):\n${block}`);
    files.set(join(PROJECT, path), block);
  }
  return files;
}

/** The guide's own tsconfig, with the package name mapped to the library's source. */
function guideCompilerOptions(page: string): ts.CompilerOptions {
  const [tsconfig] = fencedBlocks(page, 'json');
  const { options, errors } = ts.convertCompilerOptionsFromJson((JSON.parse(tsconfig) as { compilerOptions: object }).compilerOptions, PROJECT);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, formatHost));
  return {
    ...options,
    noEmit: true,
    baseUrl: REPO_ROOT,
    paths: {
      'nestjs-event-sourcing': ['lib/index.ts'],
      'nestjs-event-sourcing/testing': ['lib/testing/index.ts'],
      'nestjs-event-sourcing/store': ['lib/store.ts'],
    },
  };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => REPO_ROOT,
  getNewLine: () => '\n',
};

/** A compiler host that serves the guide's files from memory and everything else from disk. */
function hostWith(files: Map<string, string>, options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const directories = new Set([...files.keys()].flatMap((file) => ancestors(dirname(file))));
  return {
    ...host,
    fileExists: (name) => files.has(name) || host.fileExists(name),
    readFile: (name) => files.get(name) ?? host.readFile(name),
    directoryExists: (name) => directories.has(name) || (host.directoryExists?.(name) ?? false),
    getSourceFile: (name, language, onError) => {
      const text = files.get(name);
      return text === undefined ? host.getSourceFile(name, language, onError) : ts.createSourceFile(name, text, language);
    },
  };
}

const ancestors = (dir: string): string[] => (dir.length <= PROJECT.length ? [dir] : [dir, ...ancestors(dirname(dir))]);

describe('docs/getting-started.md', () => {
  const page = docPage('getting-started.md');

  it('has the source, module, projector, process manager and tests of a project', () => {
    const names = [...guideFiles(page).keys()].map((file) => file.slice(PROJECT.length + 1));
    expect(names).toEqual(expect.arrayContaining(['src/app.module.ts', 'src/main.ts', 'src/app.spec.ts']));
    expect(names.filter((name) => name.endsWith('.spec.ts')).length).toBeGreaterThanOrEqual(3);
  });

  it('compiles against the library with the tsconfig it shows', () => {
    const files = guideFiles(page);
    const options = guideCompilerOptions(page);
    const program = ts.createProgram([...files.keys()], options, hostWith(files, options));
    const diagnostics = [...files.keys()].flatMap((file) => {
      const source = program.getSourceFile(file)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    });
    expect(ts.formatDiagnostics(diagnostics, formatHost)).toBe('');
  }, 180_000); // type-checks the library and Nest's declarations: tens of seconds on a busy machine
});
