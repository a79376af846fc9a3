import { CLUSTER_DEFAULTS, type ClusterSettings, type HostPort, parseAddress } from '../../cluster/cluster.settings.js';
import type { ClusterOptions } from './cluster-registry.options.js';

const isPort = (value: unknown, allowZero: boolean) =>
  Number.isInteger(value) && (value as number) >= (allowZero ? 0 : 1) && (value as number) <= 65535;
const isHostPort = (value: unknown, allowZero: boolean): value is HostPort =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as HostPort).host === 'string' &&
  (value as HostPort).host !== '' &&
  isPort((value as HostPort).port, allowZero);
const TIMINGS = ['heartbeatInterval', 'nodeTimeout', 'requestTimeout'] as const;

/** What is wrong with the `cluster` options, one message per bad key. */
export function clusterProblems(cluster: ClusterOptions | undefined, needed: string): string[] {
  if (cluster === undefined || cluster === null || typeof cluster !== 'object') {
    return [`'cluster' is required with ${needed}: { listen: { host, port }, discovery: 'store' | { nodes: ['host:port', ...] } }`];
  }
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  check(isHostPort(cluster.listen, true), `'cluster.listen' must be { host, port } with a port 0-65535, got ${JSON.stringify(cluster.listen)}`);
  check(
    cluster.advertise === undefined || isHostPort(cluster.advertise, false),
    `'cluster.advertise' must be { host, port } with a port 1-65535, got ${JSON.stringify(cluster.advertise)}`,
  );
  check(
    cluster.nodeName === undefined || (typeof cluster.nodeName === 'string' && cluster.nodeName !== ''),
    `'cluster.nodeName' must be a non-empty string`,
  );
  const discovery = cluster.discovery;
  check(
    discovery === undefined ||
      discovery === 'store' ||
      (typeof discovery === 'object' &&
        discovery !== null &&
        Array.isArray(discovery.nodes) &&
        discovery.nodes.every((n) => parseAddress(String(n)))),
    `'cluster.discovery' must be 'store' or { nodes: ['host:port', ...] }, got ${JSON.stringify(discovery)}`,
  );
  for (const key of TIMINGS) {
    const value = cluster[key];
    check(
      value === undefined || (Number.isFinite(value) && value > 0),
      `'cluster.${key}' must be a positive number of ms, got ${JSON.stringify(value)}`,
    );
  }
  const interval = cluster.heartbeatInterval ?? CLUSTER_DEFAULTS.heartbeatInterval;
  const timeout = cluster.nodeTimeout ?? CLUSTER_DEFAULTS.nodeTimeout;
  check(timeout >= 2 * interval, `'cluster.nodeTimeout' (${timeout}) must be at least twice 'cluster.heartbeatInterval' (${interval})`);
  return problems;
}

/** Fills the defaults of checked cluster options. */
export function resolveClusterOptions(cluster: ClusterOptions, nodeName: string): ClusterSettings {
  return {
    nodeName: cluster.nodeName ?? nodeName,
    listen: cluster.listen,
    advertise: cluster.advertise,
    discovery: cluster.discovery ?? CLUSTER_DEFAULTS.discovery,
    heartbeatInterval: cluster.heartbeatInterval ?? CLUSTER_DEFAULTS.heartbeatInterval,
    nodeTimeout: cluster.nodeTimeout ?? CLUSTER_DEFAULTS.nodeTimeout,
    requestTimeout: cluster.requestTimeout ?? CLUSTER_DEFAULTS.requestTimeout,
  };
}
