import { ConfigurationError } from '../errors/configuration.error.js';
import { eventTypesOf, type SubscriptionDefinition } from './subscription-definition.js';

/** What one append wrote: its stream, and the stored type names when known. */
export interface AppendedTo {
  streamId: string;
  eventTypes?: string[];
}

/** True when `definition` reads an event of one of `types` on `streamId`. */
function reads(definition: SubscriptionDefinition, streamId: string, types: string[]): boolean {
  const { stream, streamPrefix } = definition.metadata;
  if (stream !== undefined && streamId !== stream) return false;
  if (streamPrefix !== undefined && !streamId.startsWith(streamPrefix)) return false;
  const handled = eventTypesOf(definition);
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

  set(definitions: SubscriptionDefinition[]): void {
    assertUniqueNames(definitions);
    this.definitions = definitions.filter((d) => !d.metadata.inline);
    this.inlineDefinitions = definitions.filter((d) => d.metadata.inline);
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
    if (!appended?.eventTypes) return names;
    const byName = new Map(this.definitions.map((d) => [d.metadata.name, d]));
    return names.filter((name) => {
      const definition = byName.get(name);
      return !definition || reads(definition, appended.streamId, appended.eventTypes!);
    });
  }
}
