import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/sample-build.js';
import { consumerProject, type PackedFile, packLibrary, resolveInstall, sh } from './consumer-project.js';
import { INSTALL_LINE_WITH_TERMINUS } from './install-lines.js';

const PACKAGE_FILES = ['LICENSE', 'README.md', 'package.json'];
/** Optional peers a user of the memory store does not install. */
const OPTIONAL_PEERS = ['@electric-sql/pglite', 'ioredis', '@nestjs/microservices', '@nestjs/terminus'];

/** Every file `package.json` names: entry points with their declarations, and the CLI. */
async function namedFiles(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, string>>;
    bin: Record<string, string>;
  };
  const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
  return [...targets, ...Object.values(manifest.bin)].map((path) => path.replace(/^\.\//, ''));
}

describe('the published package', () => {
  let packDir: string;
  let tarball: string;
  let files: PackedFile[];

  beforeAll(async () => {
    packDir = await mkdtemp(join(tmpdir(), 'nestjs-es-pack-'));
    ({ tarball, files } = await packLibrary(packDir));
  }, 300_000);
  afterAll(() => rm(packDir, { recursive: true, force: true }));

  it('holds, packed from a fresh checkout, only the compiled library, package.json, README and LICENSE', async () => {
    const paths = files.map((file) => file.path);
    const outside = paths.filter((path) => !PACKAGE_FILES.includes(path) && !/^dist\/lib\/.+\.(js|d\.ts)$/.test(path));
    expect(outside).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining([...PACKAGE_FILES, ...(await namedFiles())]));
    expect(paths.filter((path) => /\.spec\.|\/(test|sample|bench)\//.test(path))).toEqual([]);
  });

  it('resolves the install line with Terminus in an empty project', async () => {
    await expect(resolveInstall(packDir, [tarball, ...INSTALL_LINE_WITH_TERMINUS])).resolves.toEqual(expect.any(String));
  }, 300_000);

  describe('in a new ESM project with strict TypeScript and skipLibCheck off', () => {
    let project: string;
    beforeAll(async () => {
      project = await consumerProject(tarball);
      // Type-checks the program and its tests against the published declarations (tsc fails on any error).
      await sh(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
    }, 600_000);

    it('installs without the optional peers of the adapters it does not use', async () => {
      const present = (name: string) =>
        access(join(project, 'node_modules', name, 'package.json')).then(
          () => true,
          () => false,
        );
      expect(await present('nestjs-event-sourcing')).toBe(true);
      expect(await Promise.all(OPTIONAL_PEERS.map(present))).toEqual(OPTIONAL_PEERS.map(() => false));
    });

    it('compiles against the published types, boots a memory-store application and reads a dispatched command back', async () => {
      const output = await sh(process.execPath, ['dist/main.js'], project, 60_000);
      expect(JSON.parse(output)).toEqual({ version: 1, owner: 'ada' });
    }, 120_000);

    it('resolves each entry point with what our entry files export, and refuses the compiled files behind them', async () => {
      const exported = async (entry: string) => Object.keys((await import(join(REPO_ROOT, entry))) as object).length;
      const output = await sh(process.execPath, ['dist/doors.js'], project, 60_000);
      expect(JSON.parse(output)).toEqual({
        main: await exported('lib/index.ts'),
        store: await exported('lib/store.ts'),
        testing: await exported('lib/testing/index.ts'),
        internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
        internalInMain: [],
      });
    }, 120_000);

    it("runs the project's own Jest tests in ESM mode: an aggregate scenario and the store conformance suite", async () => {
      const report = JSON.parse(await sh('npm', ['test', '--silent', '--', '--json'], project, 180_000)) as {
        success: boolean;
        numTotalTestSuites: number;
        numFailedTests: number;
        numPassedTests: number;
      };
      expect(report).toMatchObject({ success: true, numTotalTestSuites: 2, numFailedTests: 0 });
      expect(report.numPassedTests).toBeGreaterThan(50);
    }, 240_000);

    it('names the package to install when the embedded store is chosen without @electric-sql/pglite', async () => {
      const output = await sh(process.execPath, ['dist/embedded-without-pglite.js'], project, 60_000);
      expect(JSON.parse(output)).toEqual({
        missing: true,
        message: 'Install @electric-sql/pglite to use the embedded event store: npm install @electric-sql/pglite',
      });
    }, 120_000);
  });
});
