import type { Type } from '@nestjs/common';
import type { ProcessStep } from '../decorators/process-step.decorator.js';
import type { SubscriptionMetadata } from '../decorators/subscription-options.js';
import type { BoundBatchHandler } from './batch-context.js';
import type { OnErrorHook } from './error-decision.js';
import type { EventContext } from './event-context.js';
import type { ResetContext } from './control/reset-context.js';

/** A handler or projector method bound to its provider instance. */
export type BoundEventHandler = (event: object, context: EventContext) => unknown;

/** A subscription found at bootstrap, ready to run. */
export interface SubscriptionDefinition {
  metadata: SubscriptionMetadata;
  /** Event type name to bound method, for handlers and projectors. */
  handlers: Map<string, BoundEventHandler>;
  /** For process managers: the class (instantiated per process id) and its steps by event type name. */
  processManager?: { type: Type; steps: Map<string, ProcessStep> };
  /** The `@BeforeReset` method bound to its provider, when it has one. */
  beforeReset?: (context: ResetContext) => unknown;
  /** The `@OnBatch` method and the event type names it takes, when the class has one. */
  batch?: { handler: BoundBatchHandler; eventTypes: Set<string> };
  /** The class's `onError` method, bound, when it has one. */
  onError?: OnErrorHook;
  /** Event classes the subscription receives; registered with the serializer when it starts. @default [] */
  eventClasses?: Type[];
}

/** The stored type names a subscription handles: its `@On` and `@OnBatch` types, or its process manager's steps. */
export function eventTypesOf(definition: SubscriptionDefinition): Set<string> {
  return new Set([...definition.handlers.keys(), ...(definition.batch?.eventTypes ?? []), ...(definition.processManager?.steps.keys() ?? [])]);
}
