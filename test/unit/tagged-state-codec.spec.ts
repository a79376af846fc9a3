import { isConfigurationError, isInvalidOptions, TaggedStateCodec } from '../../lib/index.js';
import { resolveOptions } from '../../lib/resolve-options.js';
import { failure } from '../fixtures/failure.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

class Unlisted {}

const syncFailure = (work: () => unknown) => failure(Promise.resolve().then(work));

describe('TaggedStateCodec', () => {
  const codec = new TaggedStateCodec([Point]);
  const roundTrip = (state: object) => codec.decode(JSON.parse(JSON.stringify(codec.encode(state))) as Record<string, unknown>);

  it('keeps what JSON loses, through JSON text', () => {
    const state = {
      at: new Date('2030-01-01T00:00:00.000Z'),
      byKey: new Map<unknown, unknown>([
        ['a', new Point(1, 2)],
        [3, [new Set([1n])]],
      ]),
      big: -12345678901234567890n,
      missing: undefined,
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5],
      nested: { deeper: { list: [undefined, null, 'x'] } },
      looksTagged: { $t: 'Date', v: 'not a date' },
      bare: Object.assign(Object.create(null) as object, { k: 1 }),
    };
    const revived = roundTrip(state)!;
    expect(revived).toStrictEqual({ ...state, bare: { k: 1 } });
    expect(Object.getPrototypeOf((revived.byKey as Map<string, Point>).get('a'))).toBe(Point.prototype);
    expect(Object.is((revived.numbers as number[])[2], -0)).toBe(true);
    expect(Object.keys(revived)).toContain('missing');
    const invalid = roundTrip({ at: new Date(Number.NaN) })!.at as Date;
    expect(invalid).toBeInstanceOf(Date);
    expect(invalid.getTime()).toBeNaN();
  });

  it('reads nothing it did not write: plain JSON of an older release is left to the caller', () => {
    expect(codec.decode({ at: '2030-01-01T00:00:00.000Z' })).toBeUndefined();
  });

  it('refuses an instance of a class it was not given, a function and a cycle, saying where', async () => {
    const unlisted = await syncFailure(() => codec.encode({ inner: { thing: new Unlisted() } }));
    expect(isConfigurationError(unlisted)).toBe(true);
    expect(unlisted.message).toMatch(/Unlisted at Object\.inner\.thing: list the class in the module's 'stateClasses' option/);
    expect((await syncFailure(() => codec.encode({ f: () => 1 }))).message).toMatch(/function at Object\.f/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await syncFailure(() => codec.encode(cyclic))).message).toMatch(/cycle at Object\.self/);
  });

  it('refuses stored state naming a class it was not given', async () => {
    const stored = codec.encode({ p: new Point(1, 2) });
    const error = await syncFailure(() => new TaggedStateCodec().decode(stored));
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/instance of Point: list the class/);
  });

  it('refuses two classes of one name', async () => {
    const Twin = class Point {};
    expect((await syncFailure(() => new TaggedStateCodec([Point, Twin]))).message).toMatch(/two classes named Point/);
  });
});

describe('state codec options', () => {
  it('refuses stateClasses that are not classes and a stateCodec without encode and decode', async () => {
    const error = await syncFailure(() =>
      resolveOptions({ eventStore: { adapter: 'memory' }, stateClasses: ['Point' as never], stateCodec: {} as never }),
    );
    expect(isInvalidOptions(error)).toBe(true);
    expect(error.message).toMatch(/'stateClasses' must be an array of classes/);
    expect(error.message).toMatch(/'stateCodec' must be a StateCodec: an object with encode\(state\) and decode\(data\)/);
  });

  it('uses the given codec, or a TaggedStateCodec of the listed classes', () => {
    const custom = new TaggedStateCodec();
    expect(resolveOptions({ eventStore: { adapter: 'memory' }, stateCodec: custom }).stateCodec).toBe(custom);
    const listed = resolveOptions({ eventStore: { adapter: 'memory' }, stateClasses: [Point] }).stateCodec;
    expect(Object.getPrototypeOf(listed.decode(listed.encode({ p: new Point(1, 2) }))!.p)).toBe(Point.prototype);
  });
});
