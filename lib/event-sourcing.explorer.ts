import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { type AggregateDefinition, aggregateDefinitionOf } from './aggregates/aggregate-definition.js';
import { ConfigurationError } from './errors/configuration.error.js';
import { FeatureRegistration } from './feature-registration.js';
import type { SubscriptionDefinition } from './subscriptions/subscription-definition.js';
import { isSubscriber, subscriptionDefinitionOf } from './subscriptions/subscription-definition.factory.js';

/** What the explorer found in the application. */
export interface ExploredApplication {
  aggregates: AggregateDefinition[];
  subscriptions: SubscriptionDefinition[];
  /** Every event class named by `@Apply`, `@On` and process manager steps. */
  eventClasses: Function[];
}

/**
 * Finds, at bootstrap, the aggregates and process managers listed in `forFeature` and every
 * provider decorated with `@EventHandler` or `@Projector`, and checks that they fit together.
 */
@Injectable()
export class EventSourcingExplorer {
  constructor(private readonly discovery: DiscoveryService) {}

  explore(): ExploredApplication {
    const providers = this.discovery.getProviders();
    const features = providers.map((w) => w.instance).filter((i): i is FeatureRegistration => i instanceof FeatureRegistration);
    const aggregates = unique(features.flatMap((f) => f.options.aggregates ?? [])).map(aggregateDefinitionOf);
    const handlers = providers
      .filter((w) => w.instance && typeof w.instance === 'object' && isSubscriber(w.instance))
      .map((w) => subscriptionDefinitionOf(w.instance as object));
    const processManagers = unique(features.flatMap((f) => f.options.processManagers ?? [])).map(subscriptionDefinitionOf);
    const subscriptions = [...handlers, ...processManagers];
    assertUniqueNames(subscriptions);
    return {
      aggregates,
      subscriptions,
      eventClasses: [...aggregates.flatMap((a) => a.eventClasses), ...subscriptions.flatMap((s) => s.eventClasses ?? [])],
    };
  }
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

function assertUniqueNames(subscriptions: SubscriptionDefinition[]): void {
  const seen = new Set<string>();
  for (const { metadata } of subscriptions) {
    if (!metadata.name) throw new ConfigurationError(`A ${metadata.kind} has no name: every subscription needs a unique 'name'`);
    if (seen.has(metadata.name)) throw new ConfigurationError(`Two subscriptions are named '${metadata.name}'; names must be unique`);
    seen.add(metadata.name);
  }
}

