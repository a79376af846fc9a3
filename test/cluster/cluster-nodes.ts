import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { bank } from '../harness/bank.js';
import { killAllChildren } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { freePort } from '../harness/free-port.js';
import { TEST_DATABASE_URL, testSchema, type TestSchema } from '../harness/postgres-schema.js';
import { createCluster, type SampleCluster } from '../harness/sample-cluster.js';
import { SampleNode } from '../harness/sample-node.js';

/** Sample nodes in cluster mode over one PostgreSQL schema. */
export interface ClusterNodes {
  cluster: SampleCluster;
  schema: TestSchema;
  /** The events of `account-<id>`, read straight from the store. */
  accountEvents(accountId: string): Promise<RecordedEvent[]>;
  /** Every event of the schema in global order. */
  allEvents(): Promise<RecordedEvent[]>;
  /** Starts one more node of the same cluster, on its own cluster port. */
  addNode(name: string): Promise<SampleNode>;
  /** Stops the nodes and the store reader, and drops the schema. */
  close(): Promise<void>;
}

/** Cluster-mode variables for a node listening on `port`. */
export const clusterEnv = (port: number, pubsub = 'global'): Record<string, string> => ({
  REGISTRY: 'global',
  PUBSUB: pubsub,
  CLUSTER_HOST: '127.0.0.1',
  CLUSTER_PORT: String(port),
});

/** How to set up the nodes. */
export interface ClusterNodesOptions {
  /** Extra variables for every node (e.g. `PUBSUB: 'redis'`, `REDIS_URL`). */
  env?: Record<string, string>;
  /** Give every node the full list of cluster addresses (`CLUSTER_NODES`) instead of finding each other through the store. */
  staticDiscovery?: boolean;
}

/**
 * Prepares `nodes` sample processes with `REGISTRY=global PUBSUB=global EVENT_STORE=postgres` on a
 * fresh schema, each with its own free HTTP and cluster port (kept across restarts), not started:
 * `cluster.start()` starts them all at the same moment.
 */
export async function createClusterNodes(nodes = 3, options: ClusterNodesOptions = {}): Promise<ClusterNodes> {
  const env = options.env ?? {};
  const schema = await testSchema();
  const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, autoMigrate: false, poolSize: 2 });
  // The nodes create the schema: the reader opens once they have.
  let opened: Promise<void> | undefined;
  const reader = async () => {
    await (opened ??= store.init());
    return store;
  };
  const ports = await Promise.all(Array.from({ length: nodes }, () => freePort()));
  const addresses = ports.map((port) => `127.0.0.1:${port}`).join(',');
  const shared = {
    EVENT_STORE: 'postgres',
    DATABASE_URL: TEST_DATABASE_URL,
    EVENT_STORE_SCHEMA: schema.name,
    ...(options.staticDiscovery && { CLUSTER_NODES: addresses }),
    ...env,
  };
  const cluster = await createCluster({ nodes, env: shared, nodeEnv: (index) => clusterEnv(ports[index], env.PUBSUB) }).catch(
    async (error: unknown) => {
      await schema.drop();
      throw error;
    },
  );
  const added: SampleNode[] = [];
  return {
    cluster,
    schema,
    accountEvents: async (accountId) => (await reader()).readStream(`account-${accountId}`),
    allEvents: async () => {
      const events: RecordedEvent[] = [];
      for await (const event of (await reader()).iterateAll(0)) events.push(event);
      return events;
    },
    addNode: async (name) => {
      const node = new SampleNode({ name, env: { ...shared, ...clusterEnv(await freePort(), env.PUBSUB) } });
      added.push(node);
      await node.start();
      return node;
    },
    close: async () => {
      await Promise.allSettled(added.map((node) => node.stop()));
      await cluster.stop().catch(() => undefined);
      await killAllChildren();
      if (opened) await store.close();
      await schema.drop();
    },
  };
}

/** {@link createClusterNodes}, then starts every node at the same moment and resolves once all listen. */
export async function startClusterNodes(nodes = 3, options: ClusterNodesOptions = {}): Promise<ClusterNodes> {
  const created = await createClusterNodes(nodes, options);
  try {
    await created.cluster.start();
  } catch (error) {
    await created.close();
    throw error;
  }
  return created;
}

/** Waits until every listed node sees exactly `expected` as the members. */
export async function awaitMembers(nodes: SampleNode[], expected: SampleNode[], timeout = 10_000): Promise<void> {
  const names = expected.map((n) => n.name).sort();
  await eventually(
    async () => {
      for (const node of nodes) {
        const members = (await bank.health(node)).cluster?.members.map((m) => m.name) ?? [];
        if (JSON.stringify(members) !== JSON.stringify(names)) throw new Error(`${node.name} sees ${members.join(', ')}, not ${names.join(', ')}`);
      }
    },
    { timeout },
  );
}

/** Sum of the append conflicts every listed node reports. */
export async function conflicts(nodes: SampleNode[]): Promise<number> {
  const healths = await Promise.all(nodes.map((node) => bank.health(node)));
  return healths.reduce((sum, h) => sum + h.aggregates.conflicts, 0);
}
