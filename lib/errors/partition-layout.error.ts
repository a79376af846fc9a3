import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A subscription is declared with a partition layout that differs from the one its checkpoints
 * are stored in: another `spread.partitions` count, or none while it is stored spread (or the
 * reverse on a store that cannot spread). Its checkpoints are per partition and cannot be carried
 * to another layout without skipping or repeating events, so nothing was written and it does not run.
 */
export class PartitionLayoutError extends EventSourcingError {
  static readonly code = 'PARTITION_LAYOUT';
  constructor(
    readonly subscription: string,
    readonly stored: number | null,
    readonly declared: number | null,
  ) {
    super(
      PartitionLayoutError.code,
      `Subscription '${subscription}' is stored ${layout(stored)} but declared ${layout(declared)}: its checkpoints cannot move to another layout ` +
        `without skipping or repeating events. Declare ${stored === null ? 'it without spread' : `spread: { partitions: ${stored} }`} on every node, ` +
        `or rebuild it side by side under a new name with the new layout (docs/subscriptions.md, "Spreading partitions over nodes")`,
    );
  }
}

const layout = (count: number | null) => (count === null ? 'whole (not spread)' : `spread over ${count} partitions`);

/** True when `error` is a {@link PartitionLayoutError}. */
export const isPartitionLayout = codeGuard<PartitionLayoutError>(PartitionLayoutError.code);
