import type { Type } from '@nestjs/common';
import { EXECUTE_METADATA } from '../constants.js';
import { addToHandlerMap } from './handler-map.js';

/**
 * Marks an aggregate method as the handler of `command`. It receives the command and returns
 * zero, one or many events (or a promise of them), or throws a domain error.
 */
export function Execute(command: Type): MethodDecorator {
  return (target, propertyKey) => addToHandlerMap(EXECUTE_METADATA, target, command, propertyKey);
}
