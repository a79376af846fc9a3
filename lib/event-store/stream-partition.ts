import { hash32 } from '../util/hash32.js';

/**
 * The partition of a spread subscription that events of `streamId` belong to, of `count`: a hash
 * of the stream id, so a stream's events stay in one partition and keep their order.
 */
export const streamPartition = (streamId: string, count: number): number => hash32(streamId) % count;

/** The name of partition `index` of subscription `name`: its row, checkpoint and lease are keyed by it. */
export const partitionName = (name: string, index: number): string => `${name}#${index}`;
