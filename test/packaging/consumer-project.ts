import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../harness/sample-build.js';
import { DEV_PACKAGES, INSTALL_LINE } from './install-lines.js';

const run = promisify(execFile);

/** Runs a command, failing with everything it printed. */
export async function sh(command: string, args: string[], cwd: string, timeout = 180_000): Promise<string> {
  try {
    return (await run(command, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/** One packed file, as `npm pack --json` lists it. */
export interface PackedFile {
  path: string;
}

/**
 * A copy of what a fresh clone of this checkout holds (tracked and new, unignored files; no `dist`),
 * with the installed node_modules linked in as `npm ci` would have placed them.
 */
export async function freshCheckout(into: string): Promise<string> {
  const listed = await sh('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], REPO_ROOT);
  const checkout = join(into, 'checkout');
  for (const path of listed.split('\0').filter(Boolean)) {
    const from = join(REPO_ROOT, path);
    // A tracked file deleted in the working tree is not part of the checkout either.
    if (!(await stat(from).catch(() => undefined))?.isFile()) continue;
    await mkdir(dirname(join(checkout, path)), { recursive: true });
    await copyFile(from, join(checkout, path));
  }
  await symlink(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  return checkout;
}

/** `npm pack` of a fresh checkout (its lifecycle scripts build what it ships); the tarball is named by its content. */
export async function packLibrary(into: string): Promise<{ tarball: string; files: PackedFile[]; size: number }> {
  const checkout = await freshCheckout(into);
  const [packed] = JSON.parse(await sh('npm', ['pack', '--json', '--pack-destination', into], checkout)) as {
    filename: string;
    files: PackedFile[];
    size: number;
  }[];
  const content = createHash('sha256')
    .update(await readFile(join(into, packed.filename)))
    .digest('hex')
    .slice(0, 16);
  // A new name for new content, so npm never keeps a previous install of the same path.
  const tarball = join(into, `nestjs-event-sourcing-${content}.tgz`);
  await rename(join(into, packed.filename), tarball);
  return { tarball, files: packed.files, size: packed.size };
}

/** The consumer's dev dependency versions, taken from our lockfile so the npm cache already holds them. */
async function lockedVersions(): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
  return DEV_PACKAGES.map((name) => `${name}@${lock.packages[`node_modules/${name}`].version}`);
}

const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** Resolves an install line in an empty project without writing anything; fails as npm would (ERESOLVE). */
export async function resolveInstall(into: string, packages: string[]): Promise<string> {
  const dir = join(into, 'resolve');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'resolve-only', private: true, type: 'module' }));
  return sh('npm', [...NPM_INSTALL, '--dry-run', ...packages], dir);
}

/**
 * A project outside the repository (ESM, strict TypeScript, `skipLibCheck: false`, Jest in ESM mode)
 * with the packed library installed by the README's install line. Its node_modules stay in a temporary directory keyed by our lockfile and this
 * checkout, so later runs only install the new tarball.
 */
export async function consumerProject(tarball: string): Promise<string> {
  const lock = await readFile(join(REPO_ROOT, 'package-lock.json'));
  const key = createHash('sha1').update(REPO_ROOT).update(lock).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `nestjs-es-consumer-${key}`);
  await mkdir(dir, { recursive: true });
  await rm(join(dir, 'src'), { recursive: true, force: true });
  await rm(join(dir, 'dist'), { recursive: true, force: true });
  await cp(join(REPO_ROOT, 'test', 'packaging', 'consumer'), dir, { recursive: true });
  await sh('npm', [...NPM_INSTALL, tarball, ...INSTALL_LINE], dir);
  await sh('npm', [...NPM_INSTALL, '--save-dev', ...(await lockedVersions())], dir);
  return dir;
}
