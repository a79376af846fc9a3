import { DEFAULT_NODE_TIMEOUT } from '../event-store/member-table.interface.js';
/** A TCP address. */
export interface HostPort {
  host: string;
  port: number;
}

/** How nodes find each other: through the shared store, or a fixed list of `host:port` addresses. */
export type ClusterDiscovery = 'store' | { nodes: string[] };

/** The cluster options with every default filled in. */
export interface ClusterSettings {
  nodeName: string;
  listen: HostPort;
  /** Address peers use; `listen` (with the port actually bound) when absent. */
  advertise?: HostPort;
  discovery: ClusterDiscovery;
  heartbeatInterval: number;
  nodeTimeout: number;
  requestTimeout: number;
}

/** Defaults of the timing settings, shared by option resolution and documentation. */
export const CLUSTER_DEFAULTS = { discovery: 'store', heartbeatInterval: 500, nodeTimeout: DEFAULT_NODE_TIMEOUT, requestTimeout: 5000 } as const;

/** `host:port`, the form addresses take in logs, health and the static node list. */
export const addressOf = (address: HostPort): string => `${address.host}:${address.port}`;

/** Parses `host:port`; undefined when malformed. */
export function parseAddress(text: string): HostPort | undefined {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  return match && port > 0 && port < 65536 ? { host: match[1].replace(/^\[(.*)\]$/, '$1'), port } : undefined;
}
