import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../harness/sample-build.js';
import { docPage, repoCompilerOptions } from './doc-pages.js';

const LIB = join(REPO_ROOT, 'lib');

/** The options types users pass; each needs a table in docs/configuration.md. */
const DOCUMENTED_TYPES = [
  'EventSourcingModuleOptions',
  'EventSourcingFeatureOptions',
  'AggregateOptions',
  'ProjectorOptions',
  'DispatchOptions',
  'HealthCheckOptions',
  'LivenessOptions',
  'EventSourcingInspectorOptions',
];

const program = ts.createProgram([join(LIB, 'index.ts')], repoCompilerOptions());
const checker = program.getTypeChecker();

/** An options type of ours (an interface named `...Options` under lib/): its fields become `parent.field` rows. */
function isLibOptions(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return !!symbol?.name.endsWith('Options') && !!symbol.declarations?.some((d) => d.getSourceFile().fileName.startsWith(`${LIB}/`));
}

/**
 * The option names of `type`: its fields, and the fields of nested options types under a dotted
 * name. A field that may also be something else (a string, an instance) is an option itself too.
 */
function optionNames(type: ts.Type, prefix = ''): string[] {
  const names = new Set<string>();
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations![0];
    const propertyType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
    const members = propertyType.isUnion() ? propertyType.types : [propertyType];
    const nested = members.filter(isLibOptions);
    const name = prefix + property.name;
    if (nested.length < members.length) names.add(name);
    for (const member of nested) for (const inner of optionNames(member, `${name}.`)) names.add(inner);
  }
  return [...names].sort();
}

function libInterface(name: string): ts.Type {
  for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(`${LIB}/`))) {
    const found = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (found) return checker.getTypeAtLocation(found.name);
  }
  throw new Error(`No interface ${name} under lib/`);
}

/** Rows of the tables marked `<!-- options: Type -->`, by type: the backticked name in each row's first cell. */
function documentedOptions(page: string): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const [, type, after] of page.matchAll(/<!-- options: (\w+) -->\n\n((?:\|.*\n)+)/g)) {
    const rows = after.trim().split('\n').slice(2);
    const names = rows.map((row) => /^\|\s*`([^`]+)`\s*\|/.exec(row)?.[1] ?? `unreadable row: ${row}`);
    byType.set(type, [...(byType.get(type) ?? []), ...names]);
  }
  return byType;
}

describe('docs/configuration.md', () => {
  const documented = documentedOptions(docPage('configuration.md'));

  it('has a table for every options type users pass', () => {
    expect([...documented.keys()].sort()).toEqual([...DOCUMENTED_TYPES].sort());
  });

  it.each(DOCUMENTED_TYPES)('lists exactly the options of %s, once each', (type) => {
    const rows = documented.get(type) ?? [];
    expect([...rows].sort()).toEqual(optionNames(libInterface(type)));
  });
});
