import { InvalidControlRequestError } from '../errors/invalid-control-request.error.js';
import { shown } from './store-strings.js';
import type { ResetTarget } from './subscription-control.interface.js';

/**
 * The global position a reset target stands for; throws `InvalidControlRequestError` for
 * anything but `'origin'`, `'current'` or a whole position between 0 and the head.
 */
export async function resolveResetTarget(to: ResetTarget, head: () => Promise<number>): Promise<number> {
  if (to === 'origin') return 0;
  if (to === 'current') return head();
  if (typeof to !== 'number' || !Number.isSafeInteger(to) || to < 0) {
    throw new InvalidControlRequestError(`A reset goes to 'origin', 'current' or a global position (a whole number >= 0), got ${shown(to)}`);
  }
  const last = await head();
  if (to > last) throw new InvalidControlRequestError(`Cannot reset to position ${to}: the store's head is at ${last}`);
  return to;
}
