/** This node's part in the cluster, for health checks. */
export interface ClusterStatus {
  node: string;
  /** `host:port` peers reach this node at. */
  address: string;
  listening: boolean;
  /** Joined the cluster and not left it (leaving starts at shutdown). */
  active: boolean;
  discovery: 'store' | 'static';
  members: { name: string; address: string; since: Date }[];
  /** TCP clients open to peers. */
  links: number;
}
