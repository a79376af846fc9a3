import { assignPartitions } from '../../lib/subscriptions/spread/partition-assignment.js';

const shares = (owners: string[]) => owners.reduce<Record<string, number>>((counts, owner) => ({ ...counts, [owner]: (counts[owner] ?? 0) + 1 }), {});
const nodes = (n: number) => Array.from({ length: n }, (_, i) => `node-${i}`);

describe('assignPartitions', () => {
  it.each([
    [8, 3],
    [8, 5],
    [8, 8],
    [16, 3],
    [3, 5],
    [256, 7],
  ])('gives each of %i partitions one of %i nodes, every node count/nodes rounded down or up', (count, n) => {
    const owners = assignPartitions(count, nodes(n));
    expect(owners).toHaveLength(count);
    const counts = Object.values(shares(owners));
    expect(Math.max(...counts)).toBeLessThanOrEqual(Math.ceil(count / n));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(count);
    if (count >= n) expect(counts).toHaveLength(n);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(Math.floor(count / n));
  });

  it('is the same whatever order or repeats the member list comes in', () => {
    expect(assignPartitions(8, ['c', 'a', 'b', 'a'])).toEqual(assignPartitions(8, ['a', 'b', 'c']));
  });

  it('assigns nothing without members', () => {
    expect(assignPartitions(8, [])).toEqual([]);
  });

  it('moves only some partitions when a node joins or leaves, and the joiner gets its share', () => {
    const before = assignPartitions(64, nodes(4));
    const joined = assignPartitions(64, nodes(5));
    const moved = before.filter((owner, index) => owner !== joined[index]).length;
    expect(shares(joined)['node-4']).toBeGreaterThanOrEqual(12);
    expect(moved).toBeLessThan(64 / 2);
    const left = assignPartitions(64, nodes(3));
    expect(left.every((owner) => owner !== 'node-3')).toBe(true);
    expect(before.filter((owner, index) => owner !== 'node-3' && owner !== left[index]).length).toBeLessThan(64 / 2);
  });
});
