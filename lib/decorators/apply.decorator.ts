import type { Type } from '@nestjs/common';
import { APPLY_METADATA } from '../constants.js';
import { addToHandlerMap } from './handler-map.js';

/** Marks an aggregate method that folds `event` into state. It must not fail. */
export function Apply(event: Type): MethodDecorator {
  return (target, propertyKey) => addToHandlerMap(APPLY_METADATA, target, event, propertyKey);
}
