import { PARK_MODES, type SubscriptionMetadata } from '../decorators/subscription-options.js';
import { ConfigurationError } from '../errors/configuration.error.js';

/**
 * Process ids a process manager runs at once unless it sets `concurrency`. Instances share nothing
 * (each has its own state, and the commands of one never wait on another's), so running different
 * ids in parallel changes no outcome while one id still sees its events strictly in order; and a
 * process manager mostly waits on command round trips, which parallel instances overlap, and whose
 * appends, state reads and writes the SQL store groups into shared statements and commits. A
 * transfer takes three steps in a row, so the steps of accepted work keep pace with many callers
 * starting new work only with many instances in flight (benchmark B8).
 */
export const DEFAULT_PROCESS_MANAGER_CONCURRENCY = 256;

/** Highest `concurrency` accepted: each partition in flight holds a handler call and its events. */
export const MAX_CONCURRENCY = 256;

/**
 * Throws `ConfigurationError` for engine options that are invalid or do not fit together:
 * `concurrency` outside 1..256, a `partitionBy` that is not a function or is set on a process
 * manager (its partition is the process id), an unknown `parkMode`, or `@OnBatch` with
 * `concurrency` above 1 (a batch is a page in global order; partitions would split it).
 */
export function checkEngineOptions(owner: string, metadata: SubscriptionMetadata, features: { batch: boolean }): void {
  const { concurrency, partitionBy, parkMode, kind } = metadata;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_CONCURRENCY)) {
    throw new ConfigurationError(`${owner}: 'concurrency' must be an integer from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(concurrency)}`);
  }
  if (partitionBy !== undefined && typeof partitionBy !== 'function') {
    throw new ConfigurationError(`${owner}: 'partitionBy' must be a function (event, context) => string`);
  }
  if (partitionBy !== undefined && kind === 'process-manager') {
    throw new ConfigurationError(`${owner}: a process manager is partitioned by process id; remove 'partitionBy'`);
  }
  if (parkMode !== undefined && !(PARK_MODES as readonly unknown[]).includes(parkMode)) {
    throw new ConfigurationError(
      `${owner}: 'parkMode' must be one of ${PARK_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(parkMode)}`,
    );
  }
  checkSpread(owner, metadata);
  if (features.batch && (concurrency ?? 1) > 1) {
    throw new ConfigurationError(
      `${owner}: @OnBatch needs 'concurrency' 1 (a batch is a page in global order); remove 'concurrency' or use @On methods`,
    );
  }
}

/** Most partitions a subscription may be spread over: each is a lease, a checkpoint row and a reader. */
export const MAX_SPREAD_PARTITIONS = 256;

/**
 * `spread` needs a whole number of partitions, and does not fit a process manager (its instances
 * are keyed by process id, not stream), a `partitionBy` (a key spanning streams would be split
 * between nodes), an inline projector (it has no runner) or strong consistency (a strong dispatch
 * waits on one checkpoint per subscription).
 */
function checkSpread(owner: string, { spread, kind, partitionBy, consistency, inline }: SubscriptionMetadata): void {
  if (spread === undefined) return;
  const partitions = (spread as { partitions?: unknown } | null)?.partitions;
  if (!(Number.isInteger(partitions) && (partitions as number) >= 1 && (partitions as number) <= MAX_SPREAD_PARTITIONS)) {
    throw new ConfigurationError(
      `${owner}: 'spread' must be { partitions: n } with n an integer from 1 to ${MAX_SPREAD_PARTITIONS}, got ${JSON.stringify(spread)}`,
    );
  }
  if (kind === 'process-manager')
    throw new ConfigurationError(`${owner}: a process manager cannot be spread (its instances are keyed by process id); remove 'spread'`);
  if (partitionBy !== undefined) {
    throw new ConfigurationError(`${owner}: a spread subscription is partitioned by stream; remove 'partitionBy' or 'spread'`);
  }
  if (inline) throw new ConfigurationError(`${owner}: an inline projector runs in each append, on the node that writes; remove 'spread' or 'inline'`);
  if (consistency === 'strong') {
    throw new ConfigurationError(
      `${owner}: a spread subscription cannot be 'strong' (strong dispatches wait on one checkpoint); remove 'spread' or use 'eventual'`,
    );
  }
}
