import { ConfigurationError } from '../errors/configuration.error.js';
import type { SubscriptionDefinition } from './subscription-definition.js';

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

  /** Names of the subscriptions a `'strong'` dispatch waits for. */
  strongNames(): string[] {
    return this.definitions.filter((d) => d.metadata.consistency === 'strong').map((d) => d.metadata.name);
  }
}
