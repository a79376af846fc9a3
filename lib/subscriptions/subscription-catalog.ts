import type { SubscriptionDefinition } from './subscription-definition.js';

/** The subscriptions found at bootstrap, for consistency checks by name. */
export class SubscriptionCatalog {
  private definitions: SubscriptionDefinition[] = [];

  set(definitions: SubscriptionDefinition[]): void {
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
