import { hash32 } from '../../util/hash32.js';

/**
 * Which node holds each of `count` partitions, from the live `members`: every node gets
 * `count / nodes` of them, rounded down or up, and within that share each partition goes to the
 * node ranking highest for it (rendezvous hashing), so every node computes the same assignment from
 * the same member list, and a node joining or leaving moves few partitions besides its own share.
 */
export function assignPartitions(count: number, members: readonly string[]): string[] {
  const nodes = [...new Set(members)].sort();
  if (!nodes.length) return [];
  const floor = Math.floor(count / nodes.length);
  let roomAbove = count % nodes.length;
  const load = new Map(nodes.map((node) => [node, 0]));
  const owners: string[] = [];
  for (let index = 0; index < count; index++) {
    const ranked = nodes.map((node) => ({ node, score: hash32(`${node}\u0000${index}`) })).sort((a, b) => b.score - a.score);
    const owner = ranked.find(({ node }) => load.get(node)! < floor || (load.get(node) === floor && roomAbove > 0))!.node;
    if (load.get(owner) === floor) roomAbove--;
    load.set(owner, load.get(owner)! + 1);
    owners.push(owner);
  }
  return owners;
}
