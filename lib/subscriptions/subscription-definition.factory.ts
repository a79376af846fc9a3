import type { Type } from '@nestjs/common';
import {
  BEFORE_RESET_METADATA,
  ON_BATCH_METADATA,
  ON_EVENT_METADATA,
  PROCESS_MANAGER_METADATA,
  PROCESS_STEP_METADATA,
  SUBSCRIPTION_METADATA,
} from '../constants.js';
import type { BatchHandlerMetadata } from '../decorators/on-batch.decorator.js';
import { checkEngineOptions } from './engine-options.js';
import { checkSourceOptions } from './source-options.js';
import type { BoundBatchHandler } from './batch-context.js';
import type { OnErrorHook } from './error-decision.js';
import { readHandlerMap } from '../decorators/handler-map.js';
import type { ProcessStep } from '../decorators/process-step.decorator.js';
import type { SubscriptionMetadata } from '../decorators/subscription-options.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { domainEventOf } from '../events/event-serializer.js';
import { storedNamesOf } from '../decorators/domain-event.decorator.js';
import type { BoundEventHandler, SubscriptionDefinition } from './subscription-definition.js';
import { readMetadata } from '../decorators/read-metadata.js';
import { type SkipReplayMetadata, skipReplayOf } from '../decorators/skip-replay.decorator.js';
import { batchSkippingReplayed, skippingReplayed } from './skip-replayed.js';

/** True when a provider (instance) or class carries `@EventHandler`, `@Projector` or `@ProcessManager`. */
export function isSubscriber(target: unknown): boolean {
  const type = classOf(target);
  return !!type && (Reflect.hasMetadata(SUBSCRIPTION_METADATA, type) || Reflect.hasMetadata(PROCESS_MANAGER_METADATA, type));
}

/**
 * Builds the definition of a subscriber: an `@EventHandler`/`@Projector` provider instance (its
 * `@On` methods are bound to it), or a `@ProcessManager` class (instantiated per process id).
 * Throws `ConfigurationError` when the decorators do not fit together.
 */
export function subscriptionDefinitionOf(target: object): SubscriptionDefinition {
  const type = classOf(target);
  const pm = type && readMetadata<SubscriptionMetadata>(PROCESS_MANAGER_METADATA, type);
  if (type && pm) return processManagerDefinition(type, pm);
  const metadata = type && readMetadata<SubscriptionMetadata>(SUBSCRIPTION_METADATA, type);
  if (!type || !metadata) {
    throw new ConfigurationError(`${type?.name ?? typeof target} has no @EventHandler, @Projector or @ProcessManager decorator`);
  }
  if (typeof target === 'function') {
    throw new ConfigurationError(`${type.name} is a ${metadata.kind}: pass its provider instance, not the class`);
  }
  checkName(type, metadata);
  const handlers = new Map<string, BoundEventHandler>();
  const methods = readHandlerMap<string | symbol>(ON_EVENT_METADATA, type);
  const skip = skipReplayOf(type);
  for (const [event, method] of methods) {
    const bound = (target as Record<string | symbol, BoundEventHandler>)[method].bind(target);
    const handler = skip.wholeClass || skip.methods.has(method) ? skippingReplayed(bound) : bound;
    for (const name of eventTypeNames(type, method, '@On', event)) handlers.set(name, handler);
  }
  const batch = batchOf(type, target, methods.size > 0, skip);
  checkSkipReplay(type, skip, [...methods.values(), readMetadata<BatchHandlerMetadata>(ON_BATCH_METADATA, type)?.method]);
  if (!handlers.size && !batch) throw new ConfigurationError(`${metadata.kind} ${type.name} has no @On(Event) or @OnBatch(...events) methods`);
  checkEngineOptions(type.name, metadata, { batch: !!batch });
  checkSourceOptions(type.name, metadata);
  const onError = (target as { onError?: OnErrorHook }).onError;
  const eventClasses = [...methods.keys(), ...(readMetadata<BatchHandlerMetadata>(ON_BATCH_METADATA, type)?.events ?? [])];
  return {
    metadata,
    handlers,
    batch,
    onError: typeof onError === 'function' ? onError.bind(target) : undefined,
    eventClasses,
    beforeReset: beforeResetOf(type, target),
  };
}

function batchOf(type: Type, target: object, hasOn: boolean, skip: SkipReplayMetadata): SubscriptionDefinition['batch'] {
  const declared = readMetadata<BatchHandlerMetadata>(ON_BATCH_METADATA, type);
  if (!declared) return undefined;
  if (hasOn)
    throw new ConfigurationError(
      `${type.name} has both @On and @OnBatch methods: use one or the other (a failing batch is retried event by event through @OnBatch)`,
    );
  if (!declared.events.length)
    throw new ConfigurationError(`@OnBatch on ${type.name}.${String(declared.method)} names no event classes: write @OnBatch(EventA, EventB)`);
  const bound = (target as Record<string | symbol, BoundBatchHandler>)[declared.method].bind(target);
  const handler = skip.wholeClass || skip.methods.has(declared.method) ? batchSkippingReplayed(bound) : bound;
  return { handler, eventTypes: new Set(declared.events.flatMap((event) => eventTypeNames(type, declared.method, '@OnBatch', event))) };
}

/** `@SkipReplay` must mark the class or one of its handler methods: anywhere else it would do nothing, silently. */
function checkSkipReplay(type: Type, skip: SkipReplayMetadata, handlerMethods: Array<string | symbol | undefined>): void {
  const stray = [...skip.methods].find((method) => !handlerMethods.includes(method));
  if (stray !== undefined) {
    throw new ConfigurationError(
      `@SkipReplay on ${type.name}.${String(stray)} marks no @On or @OnBatch method, so it would skip nothing: put it on a handler method, or on the class`,
    );
  }
}

function processManagerDefinition(type: Type, metadata: SubscriptionMetadata): SubscriptionDefinition {
  checkName(type, metadata);
  const skip = skipReplayOf(type);
  if (skip.wholeClass || skip.methods.size) {
    throw new ConfigurationError(
      `@SkipReplay is for @EventHandler and @Projector classes and their @On/@OnBatch methods; process manager ${type.name} does not take it: remove it there`,
    );
  }
  const declared = readHandlerMap<ProcessStep>(PROCESS_STEP_METADATA, type);
  const steps = new Map<string, ProcessStep>();
  for (const [event, step] of declared) {
    for (const name of eventTypeNames(type, step.method, stepDecorator[step.kind], event)) steps.set(name, step);
  }
  checkEngineOptions(type.name, metadata, { batch: false });
  checkSourceOptions(type.name, metadata);
  if (![...steps.values()].some((step) => step.kind === 'start')) {
    throw new ConfigurationError(`Process manager ${type.name} has no @StartedBy(Event, ...) method, so it can never start`);
  }
  return { metadata, handlers: new Map(), processManager: { type, steps }, eventClasses: [...declared.keys()] };
}

function beforeResetOf(type: Type, target: object): SubscriptionDefinition['beforeReset'] {
  const method = readMetadata<string | symbol>(BEFORE_RESET_METADATA, type);
  return method === undefined
    ? undefined
    : (target as Record<string | symbol, NonNullable<SubscriptionDefinition['beforeReset']>>)[method].bind(target);
}

const stepDecorator = { start: '@StartedBy', continue: '@ContinuedBy', stop: '@StoppedBy' } as const;

function classOf(target: unknown): Type | undefined {
  if (typeof target === 'function') return target as Type;
  if (target && typeof target === 'object') return target.constructor as Type;
  return undefined;
}

function checkName(type: Type, metadata: SubscriptionMetadata): void {
  if (typeof metadata.name !== 'string' || metadata.name.trim() === '') {
    throw new ConfigurationError(`${type.name} needs a non-empty 'name': it keys the checkpoint and the one-runner lock`);
  }
}

/** The stored names a handler's event class is read from (its name and aliases). */
function eventTypeNames(owner: Type, method: string | symbol, decorator: string, event: Type): string[] {
  const meta = typeof event === 'function' ? domainEventOf(event) : undefined;
  if (!meta) {
    throw new ConfigurationError(
      `${decorator} on ${owner.name}.${String(method)} names ${event?.name ?? String(event)}, which has no @DomainEvent decorator`,
    );
  }
  return storedNamesOf(meta);
}
