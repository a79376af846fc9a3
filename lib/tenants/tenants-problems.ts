import { isEventStoreInstance } from '../event-store/event-store.interface.js';
import { tenantIdProblem, type TenantsOptions } from './tenants.options.js';

/** What is wrong with the `tenants` option, each as a sentence saying what to change. */
export function tenantsProblems(raw: { eventStore?: unknown; registry?: unknown; pubsub?: unknown; tenants?: TenantsOptions }): string[] {
  const tenants = raw.tenants;
  if (tenants === undefined) return [];
  if (typeof tenants !== 'object' || tenants === null) return [`'tenants' must be an object, got ${JSON.stringify(tenants)}`];
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  // One cluster node hosts one module instance; a tenant's engine would need a cluster of its own.
  check(raw.registry !== 'global', `'tenants' needs 'registry' 'local': each tenant's engine has no cluster of its own to route to`);
  check(raw.pubsub !== 'global', `'tenants' needs 'pubsub' 'local' or Redis: each tenant's engine has no cluster of its own to publish on`);
  check(
    tenants.eventStore === undefined || typeof tenants.eventStore === 'function',
    `'tenants.eventStore' must be a function (tenantId) => event store options`,
  );
  check(
    tenants.eventStore !== undefined || !isEventStoreInstance(raw.eventStore),
    `'tenants.eventStore' is required when 'eventStore' is an EventStore instance: a tenant's store cannot be derived from one`,
  );
  const initial = tenants.initial;
  check(initial === undefined || Array.isArray(initial), `'tenants.initial' must be an array of tenant ids`);
  if (Array.isArray(initial)) initial.map(tenantIdProblem).forEach((problem) => problem && problems.push(`'tenants.initial': ${problem}`));
  const interval = tenants.refreshInterval;
  check(
    interval === undefined || (Number.isFinite(interval) && interval > 0),
    `'tenants.refreshInterval' must be a positive number of ms, got ${JSON.stringify(interval)}`,
  );
  const poolSize = tenants.poolSize;
  check(
    poolSize === undefined || (Number.isSafeInteger(poolSize) && poolSize > 0),
    `'tenants.poolSize' must be a whole number of 1 or more, got ${JSON.stringify(poolSize)}`,
  );
  check(
    poolSize === undefined || (tenants.eventStore === undefined && (raw.eventStore as { adapter?: unknown } | undefined)?.adapter === 'postgres'),
    `'tenants.poolSize' shares one pool among stores derived from a PostgreSQL 'eventStore': drop it, or drop 'tenants.eventStore'`,
  );
  return problems;
}
