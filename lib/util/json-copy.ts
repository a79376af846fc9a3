/** Returned by {@link JsonCopier.copy} for what only JSON itself may handle. */
const UNUSUAL = Symbol('unusual');

/** Deeper than this, the copy leaves the value to JSON (which also reports cycles). */
const MAX_DEPTH = 64;

/** Longest JSON text of a finite number, e.g. `-0.0000012345678901234567`, rounded up. */
const MAX_NUMBER_CHARS = 32;

const isBoxed = (value: object): boolean => value instanceof String || value instanceof Number || value instanceof Boolean;

/**
 * Copies values as `JSON.parse(JSON.stringify(value))` would, without the text in between, for the
 * usual data (objects, arrays, strings, numbers, booleans, null, left-out undefined). On the way it
 * counts a bound of the JSON text's UTF-8 size: no UTF-16 unit takes more than 6 bytes in JSON
 * (`\u001f`, a lone `\udfff`), which is far above usual text yet tells most payloads apart from a limit.
 */
class JsonCopier {
  /** At least the UTF-8 size of the JSON text of everything copied so far. */
  bytesAtMost = 0;

  /**
   * `frozen` freezes every object and array of the copy; `accepts`, when given, may refuse a
   * string (a key or a value), which makes the copy give up.
   */
  constructor(
    private readonly frozen: boolean,
    private readonly accepts?: (text: string) => boolean,
  ) {}

  /** What JSON writes for a member: undefined for one it leaves out of an object, UNUSUAL for one only JSON may handle. */
  copy(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'boolean':
        this.bytesAtMost += 5;
        return value;
      case 'number':
        this.bytesAtMost += MAX_NUMBER_CHARS;
        // JSON writes -0 as 0 and non-finite numbers as null.
        return Number.isFinite(value) ? value + 0 : null;
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      case 'bigint':
        return UNUSUAL;
    }
    if (value === null) {
      this.bytesAtMost += 4;
      return null;
    }
    const object = value as Record<string, unknown>;
    if (depth > MAX_DEPTH || typeof object.toJSON === 'function' || isBoxed(object)) return UNUSUAL;
    const copy = Array.isArray(object) ? this.array(object, depth) : this.object(object, depth);
    return this.frozen && copy !== UNUSUAL ? Object.freeze(copy) : copy;
  }

  private array(array: unknown[], depth: number): unknown[] | typeof UNUSUAL {
    const copy = new Array<unknown>(array.length);
    this.bytesAtMost += 2 + array.length;
    for (let i = 0; i < array.length; i++) {
      const member = this.copy(array[i], depth + 1);
      if (member === UNUSUAL) return UNUSUAL;
      copy[i] = member === undefined ? null : member;
    }
    return copy;
  }

  private object(object: Record<string, unknown>, depth: number): Record<string, unknown> | typeof UNUSUAL {
    const copy: Record<string, unknown> = {};
    this.bytesAtMost += 2;
    for (const key of Object.keys(object)) {
      // Assigning it would set the copy's prototype; JSON.parse makes it an own key.
      if (key === '__proto__' || this.text(key) === UNUSUAL) return UNUSUAL;
      const member = this.copy(object[key], depth + 1);
      if (member === UNUSUAL) return UNUSUAL;
      this.bytesAtMost += 2;
      if (member !== undefined) copy[key] = member;
    }
    return copy;
  }

  private text(value: string): string | typeof UNUSUAL {
    if (this.accepts && !this.accepts(value)) return UNUSUAL;
    this.bytesAtMost += 6 * value.length + 2;
    return value;
  }
}

/** Serves every {@link jsonCopy}, which never reads its count. */
const plain = new JsonCopier(false);

/**
 * `JSON.parse(JSON.stringify(value))`, without the text in between for the usual data: a copy as
 * JSON would give it, several times faster on small values. Anything else (`toJSON`, BigInt, boxed
 * primitives, very deep or cyclic values) goes through JSON itself, with its errors.
 */
export function jsonCopy<T>(value: unknown): T {
  plain.bytesAtMost = 0;
  const copy = plain.copy(value, 0);
  return (copy === UNUSUAL ? JSON.parse(JSON.stringify(value) ?? 'null') : copy) as T;
}

/**
 * Frozen copies as {@link jsonCopy} makes them, checked on the way: a copier for values that are
 * kept and shared, made once for the values it is to vouch for together.
 */
export class CheckedJsonCopier {
  private readonly copier: JsonCopier;

  /** `accepts` may refuse any string of the values, key or value. */
  constructor(accepts: (text: string) => boolean) {
    this.copier = new JsonCopier(true, accepts);
  }

  /** At least the UTF-8 size of the JSON text of every value copied so far. */
  get bytesAtMost(): number {
    return this.copier.bytesAtMost;
  }

  /**
   * A deeply frozen copy of `value` as JSON would give it, or undefined when `accepts` refused one
   * of its strings or only JSON itself may copy it: the caller then takes its exact path.
   */
  copy<T>(value: unknown): T | undefined {
    const copy = this.copier.copy(value, 0);
    return copy === UNUSUAL ? undefined : (copy as T);
  }
}
