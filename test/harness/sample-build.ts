import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Root of the repository (the harness lives in `test/harness`). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The compiled sample every node runs. */
export const SAMPLE_MAIN = join(REPO_ROOT, 'dist', 'sample', 'main.js');

const SOURCES = ['lib', 'sample'].map((dir) => join(REPO_ROOT, dir));
const LOCK = join(tmpdir(), `es-sample-build-${createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`);
const LOCK_PATIENCE_MS = 180_000;

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

async function isStale(): Promise<boolean> {
  const built = await stat(SAMPLE_MAIN).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(...(await Promise.all(SOURCES.map(newestSource))));
  return built < sources;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Takes a machine-wide lock (a directory), so suites running in parallel build one at a time. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_PATIENCE_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const owner = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => '0'));
      if (owner && !alive(owner)) await rm(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the sample build lock ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await writeFile(join(LOCK, 'pid'), String(process.pid));
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/**
 * Compiles lib and the sample to `dist/` (`tsc -p tsconfig.build.json`) when any source is newer
 * than `dist/sample/main.js`. A failed build fails the calling test with the compiler's output.
 */
export async function ensureSampleBuilt(): Promise<void> {
  if (!(await isStale())) return;
  await withBuildLock(async () => {
    if (!(await isStale())) return;
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`Building the sample failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      },
    );
  });
}
