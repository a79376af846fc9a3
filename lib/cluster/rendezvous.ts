import { hash32 } from '../util/hash32.js';

/**
 * Rendezvous (highest random weight) placement: the owner of `key` is the member whose hash
 * with the key is highest. Every node computes the same owner from the same member names with
 * no round trip, and when a member joins or leaves only the keys it wins or held move.
 * Returns undefined for an empty member list.
 */
export function ownerOf(key: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const member of members) {
    const score = hash32(`${member}\u0000${key}`);
    if (score > bestScore || (score === bestScore && best !== undefined && member < best)) {
      best = member;
      bestScore = score;
    }
  }
  return best;
}
