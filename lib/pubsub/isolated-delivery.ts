import type { Logger } from '@nestjs/common';
import type { PubSubHandler } from './pubsub.interface.js';

/**
 * Hands a message to each handler of `channel`. A handler that throws or rejects is logged and
 * the others still get the message: one broken listener must not starve the rest, nor crash the
 * process from a microtask or a transport callback. Every adapter delivers through this.
 */
export function deliverIsolated(logger: Logger, channel: string, handlers: Iterable<PubSubHandler<unknown>>, message: unknown, from: string): void {
  const failed = (error: unknown) => logger.error(`A handler of '${channel}' failed: ${error instanceof Error ? error.stack : String(error)}`);
  for (const handler of handlers) {
    try {
      const result: unknown = handler(message, from);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}
