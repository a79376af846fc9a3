import type { Type } from '@nestjs/common';

/** Registers `method` as the handler of `key` in a class-level map stored under `metadataKey`. */
export function addToHandlerMap<V>(metadataKey: string, target: object, key: Type, value: V): void {
  const ctor = target.constructor;
  const map: Map<Type, V> = new Map(Reflect.getMetadata(metadataKey, ctor) ?? []);
  map.set(key, value);
  Reflect.defineMetadata(metadataKey, map, ctor);
}

/** Reads a map written by {@link addToHandlerMap}. */
export function readHandlerMap<V>(metadataKey: string, ctor: Function): Map<Type, V> {
  return Reflect.getMetadata(metadataKey, ctor) ?? new Map();
}
