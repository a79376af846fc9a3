import { awaitDeadline } from '../../lib/util/await-deadline.js';

class Late extends Error {}

const never = new Promise<never>(() => undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
/** Timers holding the process open. */
const heldTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('awaitDeadline', () => {
  it('settles as the work does while the deadline is ahead', async () => {
    expect(await awaitDeadline(Promise.resolve(7), 1_000, () => new Late())).toBe(7);
    const failed = new Error('failed');
    expect(await outcome(awaitDeadline(Promise.reject(failed), 1_000, () => new Late()))).toEqual({ error: failed });
  });

  it('rejects each wait with its own error at its own deadline, a short one behind a long one included', async () => {
    const ended: string[] = [];
    const waitFor = (name: string, ms: number) =>
      outcome(awaitDeadline(never, ms, () => new Late(name))).then((result) => {
        ended.push(name);
        return result;
      });
    const long = waitFor('long', 400);
    const short = waitFor('short', 30);
    const middle = waitFor('middle', 120);
    const results = await Promise.all([long, short, middle]);
    expect(results.map((result) => (result as { error: Late }).error.message)).toEqual(['long', 'short', 'middle']);
    expect(ended).toEqual(['short', 'middle', 'long']);
  });

  it('holds the process open while a wait is in progress, and no longer', async () => {
    const before = heldTimers();
    let finish!: (value: string) => void;
    const waiting = awaitDeadline(new Promise<string>((resolve) => (finish = resolve)), 60_000, () => new Late());
    expect(heldTimers()).toBe(before + 1);
    finish('done');
    expect(await waiting).toBe('done');
    await sleep(0);
    expect(heldTimers()).toBe(before);
    let finishAgain!: (value: string) => void;
    const again = awaitDeadline(new Promise<string>((resolve) => (finishAgain = resolve)), 60_000, () => new Late());
    expect(heldTimers()).toBe(before + 1);
    finishAgain('done again');
    expect(await again).toBe('done again');
  });
});
