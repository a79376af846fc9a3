import type { Type } from '@nestjs/common';
import { readMetadata } from './read-metadata.js';

/** Registers `method` as the handler of `key` in a class-level map stored under `metadataKey`. */
export function addToHandlerMap<V>(metadataKey: string, target: object, key: Type, value: V): void {
  const ctor = target.constructor;
  const map = new Map(readHandlerMap<V>(metadataKey, ctor));
  map.set(key, value);
  Reflect.defineMetadata(metadataKey, map, ctor);
}

/** Reads a map written by {@link addToHandlerMap}. */
export function readHandlerMap<V>(metadataKey: string, ctor: object): Map<Type, V> {
  return readMetadata<Map<Type, V>>(metadataKey, ctor) ?? new Map<Type, V>();
}
