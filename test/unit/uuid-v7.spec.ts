import { uuidV7 } from '../../lib/util/uuid-v7.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const millisOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidV7', () => {
  it('carries the millisecond it was made in its first 48 bits', () => {
    for (const ms of [0, 1, 1_700_000_000_123, Date.UTC(2026, 11, 6), 2 ** 48 - 1]) expect(millisOf(uuidV7(ms))).toBe(ms);
    const before = Date.now();
    const now = millisOf(uuidV7());
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('sets version 7 and the RFC 9562 variant on every id', () => {
    for (let i = 0; i < 1_000; i++) {
      const id = uuidV7();
      expect(id).toMatch(UUID);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
  });

  it('sorts ids of a later millisecond after those of an earlier one, as text and as bytes', () => {
    const base = 1_765_000_000_000;
    const ids = Array.from({ length: 2_000 }, (_, i) => uuidV7(base + Math.floor(i / 10)));
    const sorted = [...ids].reverse().sort();
    for (let i = 1; i < sorted.length; i++) expect(millisOf(sorted[i])).toBeGreaterThanOrEqual(millisOf(sorted[i - 1]));
    expect(uuidV7(base + 1) > uuidV7(base)).toBe(true);
  });

  it('never repeats within a burst made in the same millisecond', () => {
    const burst = Array.from({ length: 100_000 }, () => uuidV7(1_765_000_000_000));
    expect(new Set(burst).size).toBe(burst.length);
  });

  it('differs from one id to the next in its random bits', () => {
    const [a, b] = [uuidV7(5), uuidV7(5)];
    expect(a.slice(0, 14)).toBe(b.slice(0, 14));
    expect(a).not.toBe(b);
  });
});
