import type { BoundBatchHandler } from './batch-context.js';
import type { BoundEventHandler } from './subscription-definition.js';

/** `handler`, passing over the events a reset delivers again (`@SkipReplay`). */
export const skippingReplayed =
  (handler: BoundEventHandler): BoundEventHandler =>
  (event, context) =>
    context.replaying ? undefined : handler(event, context);

/** A batch `handler` given only the events a reset does not deliver again; not called when none is left. */
export const batchSkippingReplayed =
  (handler: BoundBatchHandler): BoundBatchHandler =>
  (items, batch) => {
    const fresh = items.filter((item) => !item.context.replaying);
    return fresh.length ? handler(fresh, batch) : undefined;
  };
