import { InvalidControlRequestError } from '../errors/invalid-control-request.error.js';
import { shown } from './store-strings.js';
import type { ResetTarget } from './subscription-control.interface.js';

/** What a target is resolved against: the store's head, and where a point in time falls. */
export interface StorePositions {
  headPosition(): Promise<number>;
  positionBefore(time: Date): Promise<number>;
}

/**
 * The global position a reset target stands for; throws `InvalidControlRequestError` for
 * anything but `'origin'`, `'current'`, a whole position between 0 and the head, or a valid Date
 * (the position of the last event recorded before it).
 */
export async function resolveResetTarget(to: ResetTarget, store: StorePositions): Promise<number> {
  if (to === 'origin') return 0;
  if (to === 'current') return store.headPosition();
  if (to instanceof Date && !Number.isNaN(to.getTime())) return store.positionBefore(to);
  if (typeof to !== 'number' || !Number.isSafeInteger(to) || to < 0) {
    throw new InvalidControlRequestError(`A reset goes to 'origin', 'current', a global position (a whole number >= 0) or a Date, got ${shown(to)}`);
  }
  const last = await store.headPosition();
  if (to > last) throw new InvalidControlRequestError(`Cannot reset to position ${to}: the store's head is at ${last}`);
  return to;
}
