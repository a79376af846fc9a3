import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerProject, type PackedFile, packLibrary, sh } from './consumer-project.js';

const PACKAGE_FILES = ['LICENSE', 'README.md', 'package.json'];
/** Optional peers a user of the memory store does not install. */
const OPTIONAL_PEERS = ['@electric-sql/pglite', 'ioredis', '@nestjs/microservices', '@nestjs/terminus'];

describe('the published package', () => {
  let packDir: string;
  let tarball: string;
  let files: PackedFile[];

  beforeAll(async () => {
    packDir = await mkdtemp(join(tmpdir(), 'nestjs-es-pack-'));
    ({ tarball, files } = await packLibrary(packDir));
  }, 300_000);
  afterAll(() => rm(packDir, { recursive: true, force: true }));

  it('holds, packed from a fresh checkout, only the compiled library, package.json, README and LICENSE', () => {
    const paths = files.map((file) => file.path);
    const outside = paths.filter((path) => !PACKAGE_FILES.includes(path) && !/^dist\/lib\/.+\.(js|d\.ts)$/.test(path));
    expect(outside).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining([...PACKAGE_FILES, 'dist/lib/index.js', 'dist/lib/index.d.ts']));
    expect(paths.filter((path) => /\.spec\.|\/(test|sample|bench)\//.test(path))).toEqual([]);
  });

  describe('in a new ESM project with strict TypeScript and skipLibCheck off', () => {
    let project: string;
    beforeAll(async () => {
      project = await consumerProject(tarball);
      // Type-checks the program against the published declarations (tsc fails on any error).
      await sh(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
    }, 300_000);

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

    it('names the package to install when the embedded store is chosen without @electric-sql/pglite', async () => {
      const output = await sh(process.execPath, ['dist/embedded-without-pglite.js'], project, 60_000);
      expect(JSON.parse(output)).toEqual({
        missing: true,
        message: 'Install @electric-sql/pglite to use the embedded event store: npm install @electric-sql/pglite',
      });
    }, 120_000);
  });
});
