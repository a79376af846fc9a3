import { ownerOf } from '../lib/cluster/rendezvous.js';

/** Keys placed between two yields, so heartbeats of members in the same process keep their pace. */
const SLICE = 2_000;

/** The owner of each key among `members`, as every node computes it. */
export async function ownersOf(keys: readonly string[], members: readonly string[]): Promise<string[]> {
  const owners = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    owners[i] = ownerOf(keys[i], members)!;
    if (i % SLICE === SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return owners;
}

/** The fraction of keys whose owner differs between two placements of the same keys. */
export function movedFraction(before: readonly string[], after: readonly string[]): number {
  let moved = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) moved++;
  return moved / before.length;
}
