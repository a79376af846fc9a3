/** Positions per partition when `partitioning.rangeSize` is not given. */
export const DEFAULT_RANGE_SIZE = 10_000_000;

/**
 * The events table as PostgreSQL partitions of global-position ranges, so old ranges can be
 * detached and archived (closing the books). See docs/event-store.md for when it pays.
 */
export interface PartitioningOptions {
  /**
   * Global positions per partition. Each append probes every attached partition's index for the
   * stream's version, so prefer few large partitions; a partition is also the unit that closing
   * the books archives. An existing store keeps the size it was partitioned with when this is
   * omitted.
   * @default 10000000
   */
  rangeSize?: number;
}

/** The problems of a `partitioning` option, each naming the key and what is accepted. */
export function partitioningProblems(partitioning: unknown): string[] {
  if (partitioning === undefined) return [];
  if (typeof partitioning !== 'object' || partitioning === null) {
    return [`'eventStore.partitioning' must be an object such as { rangeSize: ${DEFAULT_RANGE_SIZE} }, got ${JSON.stringify(partitioning)}`];
  }
  const { rangeSize } = partitioning as PartitioningOptions;
  if (rangeSize !== undefined && !(Number.isSafeInteger(rangeSize) && rangeSize >= 2)) {
    return [`'eventStore.partitioning.rangeSize' must be a whole number of positions of at least 2, got ${JSON.stringify(rangeSize)}`];
  }
  return [];
}
