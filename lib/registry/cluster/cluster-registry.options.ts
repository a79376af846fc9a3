import type { ClusterDiscovery, HostPort } from '../../cluster/cluster.settings.js';

/** Cluster mode (`registry: 'global'` or `pubsub: 'global'`): how this node joins the others. */
export interface ClusterOptions {
  /** Unique name of this node in the cluster. @default the module's `nodeName` */
  nodeName?: string;
  /** Where this node's TCP server listens for its peers; port 0 picks a free port. */
  listen: HostPort;
  /** Address peers use to reach this node, when it differs from `listen` (NAT, containers). @default `listen` */
  advertise?: HostPort;
  /** How nodes find each other: a table in the shared store, or a fixed list of `host:port`. @default 'store' */
  discovery?: ClusterDiscovery;
  /** How often this node records its heartbeat and reads the member list, in ms. @default 500 */
  heartbeatInterval?: number;
  /** A node silent this long (ms) is dropped and its aggregates move to other nodes. @default 3000 */
  nodeTimeout?: number;
  /** Longest wait for a forwarded command's answer, in ms (the command's remaining time if shorter). @default 5000 */
  requestTimeout?: number;
}
