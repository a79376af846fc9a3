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

/** The subscriptions found at bootstrap, for consistency checks by name. */
export class SubscriptionCatalog {
  private definitions: SubscriptionDefinition[] = [];

  set(definitions: SubscriptionDefinition[]): void {
    assertUniqueNames(definitions);
    this.definitions = definitions;
  }

  all(): SubscriptionDefinition[] {
    return this.definitions;
  }

  names(): string[] {
    return this.definitions.map((d) => d.metadata.name);
  }

  /** Names of the subscriptions a `'strong'` dispatch waits for. */
  strongNames(): string[] {
    return this.definitions.filter((d) => d.metadata.consistency === 'strong').map((d) => d.metadata.name);
  }
}
