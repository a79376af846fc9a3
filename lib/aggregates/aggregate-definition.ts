import type { Type } from '@nestjs/common';
import { AGGREGATE_METADATA, APPLY_METADATA, EXECUTE_METADATA } from '../constants.js';
import { type AggregateMetadata, ON_DELETED, UNHANDLED_EVENTS } from '../decorators/aggregate.decorator.js';
import { readHandlerMap } from '../decorators/handler-map.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { MissingApplyError } from '../errors/missing-apply.error.js';
import { domainEventOf } from '../events/event-serializer.js';
import { storedNamesOf } from '../decorators/domain-event.decorator.js';
import { readMetadata } from '../decorators/read-metadata.js';
import { personalDataProblem } from '../decorators/personal-data.options.js';

/** Everything the runtime needs to know about one aggregate class. */
export interface AggregateDefinition {
  type: Type;
  metadata: AggregateMetadata;
  /** Command class to handler method. */
  commands: Map<Type, string | symbol>;
  /** Stored event type name to apply method. */
  appliers: Map<string, string | symbol>;
  eventClasses: Type[];
  /** The classes named by `@Apply`: an event of one of them has its apply method without a metadata lookup. */
  appliedClasses: ReadonlySet<Type>;
}

const isClass = (value: unknown): value is Type => typeof value === 'function';

function assertOneOf(type: Type, option: string, value: unknown, values: readonly string[]): void {
  if (values.includes(value as string)) return;
  throw new ConfigurationError(
    `@Aggregate on ${type.name}: '${option}' must be ${values.map((v) => `'${v}'`).join(' or ')}, got ${JSON.stringify(value)}`,
  );
}

/** True for a class decorated with `@Aggregate`. */
export const isAggregateClass = (value: unknown): value is Type => isClass(value) && readMetadata(AGGREGATE_METADATA, value) !== undefined;

/** Reads and checks the decorators of an aggregate class; throws `ConfigurationError` on a mistake. */
export function aggregateDefinitionOf(type: Type): AggregateDefinition {
  const metadata = readMetadata<AggregateMetadata>(AGGREGATE_METADATA, type);
  if (!metadata) throw new ConfigurationError(`${type?.name ?? type} is listed as an aggregate but has no @Aggregate({ identity }) decorator`);
  if (!metadata.identity) throw new ConfigurationError(`@Aggregate on ${type.name} needs an 'identity' field name`);
  assertOneOf(type, 'unhandledEvents', metadata.unhandledEvents, UNHANDLED_EVENTS);
  assertOneOf(type, 'onDeleted', metadata.onDeleted, ON_DELETED);
  const personalProblem = metadata.personal && personalDataProblem(metadata.personal);
  if (personalProblem) throw new ConfigurationError(`@Aggregate on ${type.name} declares personal data wrongly: ${personalProblem}`);
  const commands = readHandlerMap<string | symbol>(EXECUTE_METADATA, type);
  const applied = readHandlerMap<string | symbol>(APPLY_METADATA, type);
  for (const [command, method] of commands) {
    if (!isClass(command)) {
      throw new ConfigurationError(`@Execute on ${type.name}.${String(method)} names no command class (is it imported before use?)`);
    }
  }
  const appliers = new Map<string, string | symbol>();
  for (const [event, method] of applied) {
    const meta = isClass(event) ? domainEventOf(event) : undefined;
    if (!meta) {
      throw new ConfigurationError(
        `@Apply on ${type.name}.${String(method)} names ${event?.name ?? String(event)}, which has no @DomainEvent decorator`,
      );
    }
    for (const name of storedNamesOf(meta)) appliers.set(name, method);
  }
  return { type, metadata, commands, appliers, eventClasses: [...applied.keys()], appliedClasses: new Set(applied.keys()) };
}

/**
 * Refuses an event the aggregate has no `@Apply` for, unless it opted out: its state would not
 * show the event, and the next command would decide as if it had not happened.
 */
export function assertApplied(definition: AggregateDefinition, event: object): void {
  if (definition.metadata.unhandledEvents !== 'refuse' || definition.appliedClasses.has(event.constructor as Type)) return;
  // Not a @DomainEvent at all: the serializer refuses it with its own error.
  const eventType = domainEventOf(event.constructor as Type)?.name;
  if (eventType !== undefined && !definition.appliers.has(eventType)) {
    throw new MissingApplyError(definition.type.name, eventType, event.constructor.name);
  }
}
