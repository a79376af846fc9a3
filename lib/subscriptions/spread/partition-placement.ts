import type { RecordedEvent } from '../../event-store/recorded-event.js';

/**
 * One partition of a spread subscription as its runner sees it: its own name (lease, checkpoint,
 * acks), which events are its, and whether this node is meant to hold it now.
 */
export interface PartitionPlacement {
  readonly name: string;
  readonly index: number;
  includes(recorded: RecordedEvent): boolean;
  /** True while the spread subscription's assignment gives the partition to this node. */
  wanted(): boolean;
}
