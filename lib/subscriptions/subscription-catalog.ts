import { ConfigurationError } from '../errors/configuration.error.js';
import { eventTypesOf, type SubscriptionDefinition } from './subscription-definition.js';

/** What one append wrote: its stream, and the stored type names when known. */
export interface AppendedTo {
  streamId: string;
  eventTypes?: string[];
}

/** What a subscription reads, as a strong dispatch asks it: its types, and its stream or category. */
interface Reading {
  types: Set<string>;
  stream?: string;
  streamPrefix?: string;
}

/** True when a subscription reading `reading` reads an event of one of `types` on `streamId`. */
function reads({ types: handled, stream, streamPrefix }: Reading, streamId: string, types: string[]): boolean {
  if (stream !== undefined && streamId !== stream) return false;
  if (streamPrefix !== undefined && !streamId.startsWith(streamPrefix)) return false;
  return types.some((type) => handled.has(type));
}

/** Throws `ConfigurationError` when a subscription has no name, or one already used (among them or in `taken`). */
export function assertUniqueNames(definitions: SubscriptionDefinition[], taken: Iterable<string> = []): void {
  const seen = new Set(taken);
  for (const { metadata } of definitions) {
    if (!metadata.name) throw new ConfigurationError(`A ${metadata.kind} has no name: every subscription needs a unique 'name'`);
    if (seen.has(metadata.name)) throw new ConfigurationError(`Two subscriptions are named '${metadata.name}'; names must be unique`);
    seen.add(metadata.name);
  }
}

/**
 * The subscriptions found at bootstrap, for consistency checks by name. Inline projectors are
 * kept apart: they run in the append's transaction, not as subscriptions with a checkpoint.
 */
export class SubscriptionCatalog {
  private definitions: SubscriptionDefinition[] = [];
  private inlineDefinitions: SubscriptionDefinition[] = [];
  /** By name, worked out once: every strong dispatch asks. */
  private readings = new Map<string, Reading>();

  set(definitions: SubscriptionDefinition[]): void {
    assertUniqueNames(definitions);
    this.definitions = definitions.filter((d) => !d.metadata.inline);
    this.inlineDefinitions = definitions.filter((d) => d.metadata.inline);
    this.readings = new Map(
      this.definitions.map((definition) => {
        const { name, stream, streamPrefix } = definition.metadata;
        return [name, { types: eventTypesOf(definition), stream, streamPrefix }];
      }),
    );
  }

  /** The subscriptions run by runners (every one but the inline projectors). */
  all(): SubscriptionDefinition[] {
    return this.definitions;
  }

  /** The inline projectors. */
  inline(): SubscriptionDefinition[] {
    return this.inlineDefinitions;
  }

  names(): string[] {
    return this.definitions.map((d) => d.metadata.name);
  }

  /** Names of the subscriptions a `'strong'` dispatch waits for (those of them that read what it wrote: {@link relevant}). */
  strongNames(): string[] {
    return this.definitions.filter((d) => d.metadata.consistency === 'strong').map((d) => d.metadata.name);
  }

  /**
   * Of `names`, those a wait for `appended` concerns: a subscription that reads none of it (not its
   * types, not its stream) passes it at its next poll and would only delay the caller. Names this
   * catalog does not know, and every name when `appended` is unknown, are kept.
   */
  relevant(names: string[], appended?: AppendedTo): string[] {
    const types = appended?.eventTypes;
    if (!types) return names;
    return names.filter((name) => {
      const reading = this.readings.get(name);
      return !reading || reads(reading, appended.streamId, types);
    });
  }
}
