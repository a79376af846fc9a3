import { loadOptional } from '../../lib/errors/load-optional.js';
import { isMissingDependency, type MissingDependencyError } from '../../lib/errors/missing-dependency.error.js';

// A package name nobody publishes, imported for real: Node's own "cannot find package" error.
const ABSENT = 'nestjs-event-sourcing-absent-peer';
const importAbsent = () => import(ABSENT) as Promise<unknown>;

describe('loadOptional', () => {
  it('turns a package that is not installed into MissingDependencyError naming what to install', async () => {
    const error = (await loadOptional(ABSENT, 'the thing you chose', importAbsent).catch((e: unknown) => e)) as MissingDependencyError;
    expect(isMissingDependency(error)).toBe(true);
    expect(error.packageName).toBe(ABSENT);
    expect(error.message).toBe(`Install ${ABSENT} to use the thing you chose: npm install ${ABSENT}`);
  });

  it('rethrows any other failure as it is (here: a package that is installed but not the one missing)', async () => {
    const error = await loadOptional('ioredis', 'the Redis pubsub', importAbsent).catch((e: unknown) => e);
    expect(isMissingDependency(error)).toBe(false);
    expect(error).toMatchObject({ code: expect.stringMatching(/MODULE_NOT_FOUND$/), message: expect.stringContaining(ABSENT) });
  });

  it('returns the module when it is installed', async () => {
    const pg = await loadOptional('pg', 'the postgres store', () => import('pg'));
    expect(typeof pg.default.Pool).toBe('function');
  });
});
