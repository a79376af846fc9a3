import { ownerOf } from '../../lib/cluster/rendezvous.js';

const keys = Array.from({ length: 3000 }, (_, i) => `account-${i}`);
const owners = (members: string[]) => new Map(keys.map((key) => [key, ownerOf(key, members)]));

describe('rendezvous placement', () => {
  it('gives the same owner whatever order the members are listed in', () => {
    const a = owners(['n1', 'n2', 'n3']);
    const b = owners(['n3', 'n1', 'n2']);
    expect([...a]).toEqual([...b]);
  });

  it('spreads keys evenly over the members', () => {
    const counts = new Map<string, number>();
    for (const owner of owners(['n1', 'n2', 'n3']).values()) counts.set(owner!, (counts.get(owner!) ?? 0) + 1);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect(counts.size).toBe(3);
  });

  it('moves only the keys of a member that leaves, and only to the newcomer when one joins', () => {
    const before = owners(['n1', 'n2', 'n3']);
    const after = owners(['n1', 'n3']);
    for (const key of keys) if (before.get(key) !== 'n2') expect(after.get(key)).toBe(before.get(key));
    const joined = owners(['n1', 'n2', 'n3', 'n4']);
    const moved = keys.filter((key) => joined.get(key) !== before.get(key));
    expect(moved.every((key) => joined.get(key) === 'n4')).toBe(true);
    expect(moved.length).toBeGreaterThan(500);
    expect(moved.length).toBeLessThan(1000);
  });

  it('moves at most 1/N + 2 points of the keys when one of 100 members joins or leaves', () => {
    const size = 100;
    const many = Array.from({ length: 2_000 }, (_, i) => `wallet-${i}`);
    const names = Array.from({ length: size }, (_, i) => `node-${i}`);
    const placed = (members: string[]) => many.map((key) => ownerOf(key, members));
    const moved = (a: (string | undefined)[], b: (string | undefined)[]) => a.filter((owner, i) => owner !== b[i]).length / many.length;
    const before = placed(names);
    expect(moved(before, placed([...names, 'node-new']))).toBeLessThanOrEqual(1 / (size + 1) + 0.02);
    expect(moved(before, placed(names.slice(1)))).toBeLessThanOrEqual(1 / size + 0.02);
  });

  it('has no owner without members', () => {
    expect(ownerOf('k', [])).toBeUndefined();
  });
});
