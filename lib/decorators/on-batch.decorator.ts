import type { Type } from '@nestjs/common';
import { ON_BATCH_METADATA } from '../constants.js';

/** What `@OnBatch` records: the method and the event classes it takes. */
export interface BatchHandlerMetadata {
  method: string | symbol;
  events: Type[];
}

/**
 * Marks the method of an event handler or projector that takes a whole page of events at once:
 * `(events: Array<{ event, context }>, batch: { sql? })`, with the events of `events` classes in
 * global order. On SQL stores a projector's batch runs in the checkpoint's transaction
 * (`batch.sql`), so one multi-row statement can project a page. Only at `concurrency` 1.
 */
export function OnBatch(...events: Type[]): MethodDecorator {
  return (target, propertyKey) => {
    Reflect.defineMetadata(ON_BATCH_METADATA, { method: propertyKey, events } satisfies BatchHandlerMetadata, target.constructor);
  };
}
