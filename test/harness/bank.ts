import type { HttpResponse } from './http-client.js';
import type { SampleCluster } from './sample-cluster.js';
import type { SampleNode } from './sample-node.js';

/** `GET /accounts/:id` */
export interface AccountView {
  accountId: string;
  balance: number;
  version: number;
}

/** One subscription in `GET /status`. */
export interface SubscriptionHealth {
  name: string;
  kind: string;
  state: 'standby' | 'running' | 'stopped';
  position: number;
  /** A spread subscription's partitions as this node sees them. */
  partitions?: Array<{ index: number; state: 'standby' | 'running' | 'paused' | 'stopped'; position: number }>;
}

/** `GET /status` */
export interface NodeHealth {
  node: string;
  pubsub: { transport: string; connected: boolean; since: string };
  subscriptions: SubscriptionHealth[];
  aggregates: { live: number; executed: number; conflicts: number };
  /** In cluster mode. */
  cluster?: { node: string; address: string; discovery: 'store' | 'static'; members: { name: string; address: string }[]; links: number };
}

const query = (strong?: boolean) => (strong ? '?consistency=strong' : '');

/** The sample bank's HTTP API, spoken to one node. */
export const bank = {
  openAccount: (node: SampleNode, accountId: string, initialBalance: number, strong?: boolean) =>
    node.http.post<{ accountId: string; version: number; code?: string }>(`/accounts${query(strong)}`, { accountId, initialBalance }),

  deposit: (node: SampleNode, accountId: string, amount: number, strong?: boolean): Promise<HttpResponse<{ version: number; code?: string }>> =>
    node.http.post(`/accounts/${accountId}/deposit${query(strong)}`, { amount }),

  withdraw: (node: SampleNode, accountId: string, amount: number, strong?: boolean): Promise<HttpResponse<{ version: number; code?: string }>> =>
    node.http.post(`/accounts/${accountId}/withdraw${query(strong)}`, { amount }),

  account: (node: SampleNode, accountId: string) => node.http.get<AccountView>(`/accounts/${accountId}`),

  health: async (node: SampleNode): Promise<NodeHealth> => {
    // A frozen node never answers: the bound tells it from a live one, generously for a busy machine.
    const response = await node.http.get<NodeHealth>('/status', { timeout: 10_000 });
    if (response.status !== 200) throw new Error(`GET /status on ${node.name} answered ${response.status}`);
    return response.body;
  },
};

/**
 * The live nodes currently running subscription `name` (state `running`). Frozen or dead nodes
 * do not answer and are left out; exactly one entry is the healthy outcome.
 */
export async function nodesRunning(cluster: SampleCluster, name: string): Promise<SampleNode[]> {
  const found: SampleNode[] = [];
  for (const node of cluster.running()) {
    const health = await bank.health(node).catch(() => undefined);
    if (health?.subscriptions.some((s) => s.name === name && s.state === 'running')) found.push(node);
  }
  return found;
}
