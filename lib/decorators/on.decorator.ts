import type { Type } from '@nestjs/common';
import { ON_EVENT_METADATA } from '../constants.js';
import { addToHandlerMap } from './handler-map.js';

/** Marks a handler or projector method that receives `event` and its `EventContext`. */
export function On(event: Type): MethodDecorator {
  return (target, propertyKey) => addToHandlerMap(ON_EVENT_METADATA, target, event, propertyKey);
}
