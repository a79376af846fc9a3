import { CheckedJsonCopier, jsonCopy } from '../../lib/util/json-copy.js';

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

describe('CheckedJsonCopier', () => {
  const noNul = (text: string) => !text.includes('\u0000');
  const utf8Bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

  it('gives a deeply frozen copy of what a JSON round trip gives', () => {
    const value = { a: [1, { b: 'two', gone: undefined }], at: -0, nested: { deep: [[null, true]] } };
    const copy = new CheckedJsonCopier(noNul).copy<typeof value>(value);
    expect(copy).toStrictEqual(viaJson(value));
    expect(Object.isFrozen(copy)).toBe(true);
    expect(Object.isFrozen(copy?.a)).toBe(true);
    expect(Object.isFrozen(copy?.a[1])).toBe(true);
    expect(Object.isFrozen(copy?.nested.deep[0])).toBe(true);
  });

  it('gives up on a refused string, key or value, and on what only JSON may copy', () => {
    for (const value of [{ a: 'x\u0000' }, { list: [{ ['k\u0000']: 1 }] }, { at: new Date(0) }, { n: 1n }, { s: new String('boxed') }]) {
      expect(new CheckedJsonCopier(noNul).copy(value)).toBeUndefined();
    }
  });

  it('counts at least the UTF-8 size of the JSON text of everything it copied', () => {
    const values: unknown[] = [
      {},
      { text: 'plain', n: -0.0000012345678901234567, big: -1.7976931348623157e308, yes: false, none: null },
      { controls: '\u0001\u001f\n"\\', lone: '\ud800\udfff\ud800', emoji: '💸é' },
      { list: [undefined, [[]], 2 ** 70, 'ü'], ['kéy\u0002']: { '': '' } },
    ];
    const copier = new CheckedJsonCopier(() => true);
    let total = 0;
    for (const value of values) {
      const before = copier.bytesAtMost;
      copier.copy(value);
      expect(copier.bytesAtMost - before).toBeGreaterThanOrEqual(utf8Bytes(value));
      total += utf8Bytes(value);
    }
    expect(copier.bytesAtMost).toBeGreaterThanOrEqual(total);
  });
});
