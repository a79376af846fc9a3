import type { SubscriptionMetadata } from '../../decorators/subscription-options.js';
import type { SubscriptionState, SubscriptionStatus } from '../subscription-status.js';

/** The states a node's partitions may be in, the most telling first: the whole shows the first any partition has. */
const PRECEDENCE: readonly SubscriptionState[] = ['stopped', 'running', 'paused', 'standby'];

/**
 * A spread subscription's status on this node, from its partitions' (`partitions`, by index): it
 * runs when a partition it holds runs; its position is the lowest partition's (a standby partition
 * shows the checkpoint its holder stored, as last read), below which every event is handled.
 */
export function spreadStatus({ name, kind }: SubscriptionMetadata, partitions: SubscriptionStatus[]): SubscriptionStatus {
  const state = PRECEDENCE.find((candidate) => partitions.some((partition) => partition.state === candidate)) ?? 'standby';
  const failing = partitions.find((partition) => partition.lastError);
  const unreadable = partitions.find((partition) => partition.unreadable)?.unreadable;
  return {
    name,
    kind,
    state,
    position: Math.min(...partitions.map((partition) => partition.position)),
    ...(failing ? { lastError: failing.lastError } : {}),
    ...(unreadable ? { unreadable } : {}),
    partitions: partitions.map(({ state: partitionState, position }, index) => ({ index, state: partitionState, position })),
  };
}
