import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Type } from '@nestjs/common';
import { aggregateDefinitionOf, isAggregateClass } from '../aggregates/aggregate-definition.js';
import { AggregateLoader } from '../aggregates/aggregate-loader.js';
import { AggregateReader } from '../aggregates/aggregate-reader.js';
import { CommandRouter } from '../aggregates/command-router.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { domainEventOf, EventSerializer } from '../events/event-serializer.js';
import type { StateCodec } from '../events/state-codec.js';
import { UnreadableEvents } from '../events/unreadable-events.js';
import { resolveOptions } from '../resolve-options.js';
import { UsageError } from './cli-command.js';

/** What the command line needs to load an application's aggregates: the reader, and the codec that writes their state as JSON. */
export interface ApplicationReader {
  reader: AggregateReader;
  codec: StateCodec;
}

/** The module options an application module may export under their own names, as it passes them to `forRoot`. */
type ExportedOptions = Pick<Parameters<typeof resolveOptions>[0], 'upcasters' | 'stateClasses' | 'stateCodec'>;

/**
 * Imports an application's compiled module and reads its exports as the application's setup: every
 * `@Aggregate` class, every `@DomainEvent` class, and `upcasters`, `stateClasses` and `stateCodec`
 * (the `forRoot` options of those names). Returns a reader over `store` that loads those aggregates
 * as the application does.
 */
export async function applicationReader(file: string, store: EventStore): Promise<ApplicationReader> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`--module ${JSON.stringify(file)}: no such file (give the compiled JavaScript module)`);
  const exported = (await import(pathToFileURL(path).href)) as Record<string, unknown> & ExportedOptions;
  const classes = Object.values(exported).filter((value): value is Type => typeof value === 'function');
  const aggregates = classes.filter(isAggregateClass).map(aggregateDefinitionOf);
  if (!aggregates.length)
    throw new UsageError(`--module ${JSON.stringify(file)} exports no @Aggregate class: export the aggregates whose state to load`);
  const { upcasters, stateClasses, stateCodec } = exported;
  const options = resolveOptions({ eventStore: store, upcasters, stateClasses, stateCodec });
  const router = new CommandRouter();
  aggregates.forEach((definition) => router.register(definition));
  const events = [...classes.filter((type) => domainEventOf(type) !== undefined), ...aggregates.flatMap((a) => a.eventClasses)];
  const loader = new AggregateLoader(store, new EventSerializer(events, options.upcasters), new UnreadableEvents(), options.stateCodec);
  return { reader: new AggregateReader(router, loader, store), codec: options.stateCodec };
}
