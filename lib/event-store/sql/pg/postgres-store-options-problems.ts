import { InvalidOptionsError } from '../../../errors/invalid-options.error.js';
import { POOLER_MODES, type PostgresStoreOptions } from './postgres-store.options.js';

const listed = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** Refuses with `InvalidOptionsError` a `pooler`, `leaseTimeout` or `listenConnectionString` of the wrong kind. */
export function assertPostgresStoreOptions(options: Partial<PostgresStoreOptions>): void {
  const problems: string[] = [];
  const { pooler, leaseTimeout, listenConnectionString } = options;
  if (pooler !== undefined && !(POOLER_MODES as readonly unknown[]).includes(pooler)) {
    problems.push(`'eventStore.pooler' must be one of ${listed(POOLER_MODES)}, got ${JSON.stringify(pooler)}`);
  }
  if (leaseTimeout !== undefined && !(Number.isSafeInteger(leaseTimeout) && leaseTimeout > 0)) {
    problems.push(`'eventStore.leaseTimeout' must be a positive whole number of ms, got ${JSON.stringify(leaseTimeout)}`);
  }
  if (listenConnectionString !== undefined && typeof listenConnectionString !== 'string') {
    problems.push(`'eventStore.listenConnectionString' must be a connection string, got ${JSON.stringify(listenConnectionString)}`);
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}
