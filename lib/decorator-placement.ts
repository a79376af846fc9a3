import type { Type } from '@nestjs/common';
import {
  AGGREGATE_METADATA,
  APPLY_METADATA,
  EXECUTE_METADATA,
  ON_BATCH_METADATA,
  ON_EVENT_METADATA,
  PROCESS_MANAGER_METADATA,
  PROCESS_STEP_METADATA,
  SKIP_REPLAY_METADATA,
  SUBSCRIPTION_METADATA,
} from './constants.js';
import { ConfigurationError } from './errors/configuration.error.js';

const has = (type: Type, ...keys: string[]) => keys.some((key) => Reflect.hasMetadata(key, type));

/**
 * Method decorators whose class decorator is missing or of the other kind never run, and Nest
 * says nothing about it. Providers are checked (the classes Nest knows), and the listed aggregates.
 */
export function checkDecoratorPlacement(providers: object[], aggregates: Type[]): void {
  for (const provider of providers) {
    const type = provider.constructor as Type | undefined;
    if (typeof type === 'function') checkProvider(type, aggregates);
  }
  for (const type of aggregates) {
    if (has(type, AGGREGATE_METADATA) && has(type, ON_EVENT_METADATA, ON_BATCH_METADATA)) {
      throw new ConfigurationError(
        `Aggregate ${type.name} has @On methods, which never run on an aggregate: fold its own events with @Apply, and react to events in an @EventHandler or @Projector provider`,
      );
    }
  }
}

function checkProvider(type: Type, aggregates: Type[]): void {
  if (has(type, EXECUTE_METADATA, APPLY_METADATA) && !aggregates.includes(type)) {
    throw new ConfigurationError(
      `${type.name} has @Execute/@Apply methods but is not an aggregate of this application: list it in EventSourcingModule.forFeature({ aggregates: [${type.name}] }) (aggregates are not Nest providers)`,
    );
  }
  if (has(type, SUBSCRIPTION_METADATA, PROCESS_MANAGER_METADATA)) return;
  const decorator = has(type, ON_EVENT_METADATA) ? '@On' : has(type, ON_BATCH_METADATA) ? '@OnBatch' : undefined;
  if (decorator) {
    throw new ConfigurationError(
      `${type.name} has ${decorator} methods but no @EventHandler, @Projector or @ProcessManager decorator, so they would never run: decorate the class with @EventHandler({ name }) or @Projector({ name })`,
    );
  }
  if (has(type, SKIP_REPLAY_METADATA)) {
    throw new ConfigurationError(
      `${type.name} has @SkipReplay but is no event handler or projector, so it skips nothing: it belongs on an @EventHandler or @Projector class or on one of their @On/@OnBatch methods`,
    );
  }
  if (has(type, PROCESS_STEP_METADATA)) {
    throw new ConfigurationError(
      `${type.name} has @StartedBy/@ContinuedBy/@StoppedBy methods but no @ProcessManager decorator, so they would never run: decorate it with @ProcessManager({ name }) and list it in EventSourcingModule.forFeature({ processManagers: [${type.name}] })`,
    );
  }
}
