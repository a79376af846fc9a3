import { Transport } from '@nestjs/microservices';
import { type EventSourcingModuleOptions, TENANT_ID } from '../lib/index.js';

/** Injection token of the sample's {@link SampleConfig}. */
export const SAMPLE_CONFIG = Symbol('SampleConfig');

/** The sample's settings, read from the environment. */
export interface SampleConfig {
  port: number;
  schema: string;
  /** Serve the read-only inspector page at /_inspector (INSPECTOR=on); it shows event data, so off unless asked. */
  inspector: boolean;
  eventSourcing: EventSourcingModuleOptions;
  /** Partitions of the `account-ledger` projector, spread over the running nodes (LEDGER_PARTITIONS); none when absent. */
  ledgerPartitions?: number;
}

/** True when the bank serves tenants (TENANTS): every account and transfer route then names one in `X-Tenant`. */
export const servesTenants = (config: SampleConfig): boolean => config.eventSourcing.tenants !== undefined;

const oneOf = <T extends string>(name: string, value: string | undefined, allowed: T[], fallback: T): T => {
  const chosen = (value || fallback) as T;
  if (!allowed.includes(chosen)) throw new Error(`${name} must be one of ${allowed.join(', ')}; got '${value}'`);
  return chosen;
};

function redisOptions(url: string, channelPrefix: string) {
  const parsed = new URL(url);
  return {
    transport: Transport.REDIS as const,
    options: {
      host: parsed.hostname,
      port: Number(parsed.port || 6379),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    },
    channelPrefix,
  };
}

/** A duration in ms from `env[name]`; undefined (the library's default) when unset. */
function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  if (!env[name]) return undefined;
  const ms = Number(env[name]);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`${name} must be a whole number of milliseconds above 0; got '${env[name]}'`);
  return ms;
}

/**
 * Cluster mode settings from CLUSTER_HOST (127.0.0.1), CLUSTER_PORT (0: any free port), CLUSTER_NODES (static list; the store
 * otherwise), CLUSTER_HEARTBEAT_INTERVAL and CLUSTER_NODE_TIMEOUT (ms; the library's defaults otherwise).
 */
function clusterOptions(env: NodeJS.ProcessEnv): EventSourcingModuleOptions['cluster'] {
  const port = Number(env.CLUSTER_PORT || 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CLUSTER_PORT must be a port number; got '${env.CLUSTER_PORT}'`);
  const nodes = env.CLUSTER_NODES?.split(',').filter(Boolean);
  return {
    listen: { host: env.CLUSTER_HOST || '127.0.0.1', port },
    discovery: nodes?.length ? { nodes } : 'store',
    heartbeatInterval: milliseconds(env, 'CLUSTER_HEARTBEAT_INTERVAL'),
    nodeTimeout: milliseconds(env, 'CLUSTER_NODE_TIMEOUT'),
  };
}

/**
 * The tenants to serve from the start (TENANTS=acme,globex); undefined, the single-tenant bank, when unset or empty.
 * Each tenant keeps its events and read models in a schema of its own, `<schema>_<tenant>`.
 */
function tenantsOptions(env: NodeJS.ProcessEnv, registry: string, pubsub: string): EventSourcingModuleOptions['tenants'] {
  if (!env.TENANTS) return undefined;
  const initial = env.TENANTS.split(',').map((id) => id.trim());
  const bad = initial.filter((id) => !TENANT_ID.test(id));
  if (bad.length) {
    throw new Error(
      `TENANTS must be a comma-separated list of tenant ids, each 1 to 40 lower-case letters, digits or '_', starting with a letter (it names a schema); got ${bad.map((id) => `'${id}'`).join(', ')} in '${env.TENANTS}'`,
    );
  }
  // Each tenant's engine is a module of its own, with no cluster to route to or publish on.
  if (registry !== 'local' || pubsub === 'global')
    throw new Error(`TENANTS needs REGISTRY=local and PUBSUB=local or redis; got REGISTRY=${registry} PUBSUB=${pubsub}`);
  return { initial: [...new Set(initial)] };
}

/**
 * Reads PORT, EVENT_STORE, DATABASE_URL, EVENT_STORE_SCHEMA, DATA_DIR, REGISTRY, PUBSUB, REDIS_URL, NODE_NAME, AGGREGATE_INVALIDATION, INSPECTOR,
 * LOCK_RETRY_INTERVAL (ms between a standby's tries at a subscription), LEDGER_PARTITIONS, TENANTS, CLUSTER_*.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  const adapter = oneOf('EVENT_STORE', env.EVENT_STORE, ['embedded', 'memory', 'postgres'], 'embedded');
  const schema = env.EVENT_STORE_SCHEMA || 'event_store';
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number; got '${env.PORT}'`);
  const eventStore: EventSourcingModuleOptions['eventStore'] =
    adapter === 'memory'
      ? { adapter }
      : adapter === 'embedded'
        ? { adapter, schema, dataDir: env.DATA_DIR || './data' }
        : { adapter, schema, connectionString: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres' };
  const pubsub = oneOf<'local' | 'global' | 'redis'>('PUBSUB', env.PUBSUB, ['local', 'global', 'redis'], 'local');
  const registry = oneOf<'local' | 'global'>('REGISTRY', env.REGISTRY, ['local', 'global'], 'local');
  const lockRetryInterval = milliseconds(env, 'LOCK_RETRY_INTERVAL');
  const tenants = tenantsOptions(env, registry, pubsub);
  const ledgerPartitions = env.LEDGER_PARTITIONS ? Number(env.LEDGER_PARTITIONS) : undefined;
  if (ledgerPartitions !== undefined && !(Number.isInteger(ledgerPartitions) && ledgerPartitions > 0)) {
    throw new Error(`LEDGER_PARTITIONS must be a whole number above 0; got '${env.LEDGER_PARTITIONS}'`);
  }
  return {
    port,
    schema,
    ledgerPartitions,
    inspector: oneOf('INSPECTOR', env.INSPECTOR, ['on', 'off'], 'off') === 'on',
    eventSourcing: {
      eventStore,
      registry,
      pubsub: pubsub === 'redis' ? redisOptions(env.REDIS_URL || 'redis://127.0.0.1:6379', `${schema}:`) : pubsub,
      cluster: registry === 'global' || pubsub === 'global' ? clusterOptions(env) : undefined,
      nodeName: env.NODE_NAME || undefined,
      aggregates: { invalidation: env.AGGREGATE_INVALIDATION !== 'false' },
      ...(lockRetryInterval && { subscriptions: { lockRetryInterval } }),
      ...(tenants && { tenants }),
    },
  };
}
