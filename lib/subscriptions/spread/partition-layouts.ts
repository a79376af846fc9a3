import { ConfigurationError } from '../../errors/configuration.error.js';
import { PartitionLayoutError } from '../../errors/partition-layout.error.js';
import type { EventStore } from '../../event-store/event-store.interface.js';
import type { SubscriptionControlState } from '../../event-store/subscription-control.interface.js';
import type { SubscriptionDefinition } from '../subscription-definition.js';

/**
 * Refuses, before anything runs, subscriptions whose declared partition layout their stored
 * checkpoints cannot take: spread ones on a store that cannot spread (`ConfigurationError`), and
 * another partition count than the stored one, or none for one stored spread (`PartitionLayoutError`).
 * A subscription stored whole and now declared spread is fine: its checkpoint is split on first run.
 * When the store cannot be read now, the runners check again as they take their leases.
 */
export async function assertLayouts(store: EventStore, definitions: SubscriptionDefinition[]): Promise<void> {
  const spread = definitions.filter((definition) => definition.metadata.spread).map((definition) => definition.metadata.name);
  if (spread.length && !store.subscriptionPartitions) {
    throw new ConfigurationError(
      `${spread.map((name) => `'${name}'`).join(', ')}: 'spread' needs a store that processes share (postgres or embedded), and the memory store keeps none; remove 'spread' or use one of those adapters`,
    );
  }
  let stored: SubscriptionControlState[];
  try {
    stored = await store.control.listControl();
  } catch {
    return;
  }
  const layouts = new Map(stored.map((state) => [state.name, state.partitions ?? null]));
  for (const { metadata } of definitions) {
    const declared = metadata.spread?.partitions ?? null;
    const was = layouts.get(metadata.name);
    if (was === undefined || was === declared || (was === null && declared !== null)) continue;
    throw new PartitionLayoutError(metadata.name, was, declared);
  }
}
