import { InvalidOptionsError } from '../../../errors/invalid-options.error.js';
import { POOLER_MODES, type PostgresReplicaOptions, type PostgresStoreOptions } from './postgres-store.options.js';
import { CONNECTION_STRING_SHAPE, isReadableConnectionString } from './connection-settings-errors.js';

const listed = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

const isCount = (value: unknown, least: number) => Number.isSafeInteger(value) && (value as number) >= least;

/** What is wrong with `replica`, each problem naming its field. */
function replicaProblems(replica: PostgresReplicaOptions): string[] {
  if (typeof replica !== 'object' || replica === null) {
    return [`'eventStore.replica' must be an object such as { connectionString: 'postgres://...' }, got ${JSON.stringify(replica)}`];
  }
  const problems: string[] = [];
  const { connectionString, poolSize, minLag, pool } = replica;
  if (typeof connectionString !== 'string' || !isReadableConnectionString(connectionString)) {
    problems.push(
      `'eventStore.replica.connectionString' must be the standby's connection string (${CONNECTION_STRING_SHAPE}), got ${typeof connectionString === 'string' ? 'one without a postgres:// scheme' : JSON.stringify(connectionString)}`,
    );
  }
  if (poolSize !== undefined && !isCount(poolSize, 1))
    problems.push(`'eventStore.replica.poolSize' must be a whole number of 1 or more, got ${JSON.stringify(poolSize)}`);
  if (minLag !== undefined && !isCount(minLag, 0))
    problems.push(`'eventStore.replica.minLag' must be a whole number of events, 0 or more, got ${JSON.stringify(minLag)}`);
  if (pool !== undefined && (typeof pool !== 'object' || pool === null))
    problems.push(`'eventStore.replica.pool' must be an object of pg pool settings, got ${JSON.stringify(pool)}`);
  return problems;
}

/** Refuses with `InvalidOptionsError` a `pooler`, `leaseTimeout`, `listenConnectionString` or `replica` of the wrong kind. */
export function assertPostgresStoreOptions(options: Partial<PostgresStoreOptions>): void {
  const problems: string[] = [];
  const { pooler, leaseTimeout, listenConnectionString, replica } = options;
  if (pooler !== undefined && !(POOLER_MODES as readonly unknown[]).includes(pooler)) {
    problems.push(`'eventStore.pooler' must be one of ${listed(POOLER_MODES)}, got ${JSON.stringify(pooler)}`);
  }
  if (leaseTimeout !== undefined && !(Number.isSafeInteger(leaseTimeout) && leaseTimeout > 0)) {
    problems.push(`'eventStore.leaseTimeout' must be a positive whole number of ms, got ${JSON.stringify(leaseTimeout)}`);
  }
  if (listenConnectionString !== undefined && typeof listenConnectionString !== 'string') {
    problems.push(`'eventStore.listenConnectionString' must be a connection string, got ${JSON.stringify(listenConnectionString)}`);
  }
  if (replica !== undefined) problems.push(...replicaProblems(replica));
  if (problems.length) throw new InvalidOptionsError(problems);
}
