import type { Type } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { JsonObject } from '../event-store/recorded-event.js';
import type { StateCodec } from './state-codec.js';

/**
 * Key and value marking data written by this codec, beside the state's fields (which stay readable
 * in the store): anything else, such as plain JSON of older releases, is not decoded.
 */
const FORMAT_KEY = '$format';
const FORMAT = 'tagged/1';

/** Key of the tag on an encoded value JSON has no form for; a plain object holding it is escaped. */
const TAG = '$t';

type Tagged = { [TAG]: string; v?: unknown; c?: string };

const isPlain = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
};

const numberText = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/**
 * The default {@link StateCodec}: JSON, with tagged values for what JSON loses: `Date`, `Map`,
 * `Set`, `BigInt`, `undefined`, non-finite numbers and -0, and instances of the registered
 * classes (value objects), revived with their prototype and without running their constructor.
 * An instance of any other class, a function or a cycle is refused with a `ConfigurationError`;
 * a value reached twice is stored twice.
 */
export class TaggedStateCodec implements StateCodec {
  private readonly classes = new Map<string, Type>();

  constructor(classes: Iterable<Type> = []) {
    for (const type of classes) {
      if (typeof type !== 'function') throw new ConfigurationError(`'stateClasses' lists ${String(type)}, which is not a class`);
      const known = this.classes.get(type.name);
      if (known && known !== type) throw new ConfigurationError(`'stateClasses' lists two classes named ${type.name}: rename one`);
      this.classes.set(type.name, type);
    }
  }

  encode(state: object): JsonObject {
    if (Object.hasOwn(state, FORMAT_KEY)) throw new ConfigurationError(`State cannot have a field named '${FORMAT_KEY}': rename it`);
    return { [FORMAT_KEY]: FORMAT, ...this.fields(state, new Set([state]), state.constructor.name) };
  }

  decode(data: JsonObject): Record<string, unknown> | undefined {
    if (data?.[FORMAT_KEY] !== FORMAT) return undefined;
    const fields = this.reviveFields(data, {}) as Record<string, unknown>;
    delete fields[FORMAT_KEY];
    return fields;
  }

  private value(value: unknown, path: Set<object>, at: string): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0) ? value : { [TAG]: 'number', v: numberText(value) };
      case 'undefined':
        return { [TAG]: 'undefined' };
      case 'bigint':
        return { [TAG]: 'bigint', v: value.toString() };
      case 'function':
      case 'symbol':
        throw new ConfigurationError(`State cannot keep the ${typeof value} at ${at}: hold data only`);
    }
    if (value === null) return null;
    const object = value as object;
    if (path.has(object)) throw new ConfigurationError(`State cannot keep the cycle at ${at}`);
    path.add(object);
    try {
      return this.object(object, path, at);
    } finally {
      path.delete(object);
    }
  }

  private object(value: object, path: Set<object>, at: string): unknown {
    if (Array.isArray(value)) return Array.from(value, (member, i) => this.value(member, path, `${at}[${i}]`));
    if (value instanceof Date) return { [TAG]: 'Date', v: Number.isNaN(value.getTime()) ? null : value.toISOString() };
    if (value instanceof Map) {
      return { [TAG]: 'Map', v: Array.from(value, ([key, member]) => [this.value(key, path, `${at} key`), this.value(member, path, `${at}.get()`)]) };
    }
    if (value instanceof Set) return { [TAG]: 'Set', v: Array.from(value, (member) => this.value(member, path, `${at} member`)) };
    if (isPlain(value)) {
      const fields = this.fields(value, path, at);
      return TAG in fields ? { [TAG]: 'object', v: fields } : fields;
    }
    const name = value.constructor?.name;
    if (!name || this.classes.get(name) !== value.constructor) {
      throw new ConfigurationError(
        `State holds an instance of ${name ?? 'an unnamed class'} at ${at}: list the class in the module's 'stateClasses' option so it comes back as one`,
      );
    }
    return { [TAG]: 'class', c: name, v: this.fields(value, path, at) };
  }

  private fields(value: object, path: Set<object>, at: string): JsonObject {
    const fields: JsonObject = {};
    for (const [key, member] of Object.entries(value)) fields[key] = this.value(member, path, `${at}.${key}`);
    return fields;
  }

  private revive(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((member) => this.revive(member));
    const tagged = value as Tagged;
    if (typeof tagged[TAG] !== 'string') return this.reviveFields(value as JsonObject, {});
    switch (tagged[TAG]) {
      case 'number':
        return Number(tagged.v);
      case 'undefined':
        return undefined;
      case 'bigint':
        return BigInt(tagged.v as string);
      case 'Date':
        return new Date(tagged.v === null ? Number.NaN : (tagged.v as string));
      case 'Map':
        return new Map((tagged.v as unknown[][]).map(([key, member]) => [this.revive(key), this.revive(member)]));
      case 'Set':
        return new Set((tagged.v as unknown[]).map((member) => this.revive(member)));
      case 'object':
        return this.reviveFields(tagged.v as JsonObject, {});
      case 'class':
        return this.reviveFields(tagged.v as JsonObject, Object.create(this.classOf(tagged.c!).prototype as object) as object);
      default:
        throw new ConfigurationError(`Stored state has a value tagged '${tagged[TAG]}', which this codec does not know`);
    }
  }

  private reviveFields(fields: JsonObject, into: object): object {
    // defineProperty, not assignment: a stored '__proto__' key must stay a field.
    for (const [key, member] of Object.entries(fields)) {
      Object.defineProperty(into, key, { value: this.revive(member), enumerable: true, writable: true, configurable: true });
    }
    return into;
  }

  private classOf(name: string): Type {
    const type = this.classes.get(name);
    if (!type) throw new ConfigurationError(`Stored state holds an instance of ${name}: list the class in the module's 'stateClasses' option`);
    return type;
  }
}
