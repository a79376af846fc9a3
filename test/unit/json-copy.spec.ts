import { jsonCopy } from '../../lib/util/json-copy.js';

class Moved {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId?: string,
  ) {}
}

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

describe('jsonCopy', () => {
  it('gives what a JSON round trip gives, keys in the same order', () => {
    const values: unknown[] = [
      new Moved('a', 5),
      new Moved('a', -0, 't-1'),
      { b: 1, 10: 'ten', 2: 'two', a: [1, undefined, () => 1, Number.NaN, { x: Symbol('s') }], nested: { deep: [[null, true, 'ü\ud800']] } },
      { at: new Date(0), big: Number.POSITIVE_INFINITY, fn: () => 1, map: new Map([[1, 2]]), boxed: { toJSON: () => 'custom' } },
      [new String('boxed'), new Number(3)],
      JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'),
    ];
    for (const value of values) {
      const copy = jsonCopy(value);
      expect(copy).toStrictEqual(viaJson(value));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(viaJson(value)));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shares nothing with the original', () => {
    const original = { lines: [{ amount: 1 }] };
    const copy = jsonCopy<typeof original>(original);
    copy.lines[0].amount = 2;
    expect(original.lines[0].amount).toBe(1);
  });

  it('fails as JSON does on BigInt and cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonCopy({ n: 1n })).toThrow(TypeError);
    expect(() => jsonCopy(cyclic)).toThrow(/circular/i);
  });
});
