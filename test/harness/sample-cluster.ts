import { freePort } from './free-port.js';
import { ensureSampleBuilt } from './sample-build.js';
import { SampleNode } from './sample-node.js';

/** How to start a set of sample nodes. */
export interface ClusterOptions {
  /** Number of processes. */
  nodes: number;
  /** Variables every node gets: the mode (REGISTRY, PUBSUB, EVENT_STORE) and connections. */
  env: Record<string, string>;
  /** Variables for node `index` only, merged over `env`. @default none */
  nodeEnv?: (index: number) => Record<string, string>;
  /** NODE_NAME prefix; node `i` is `<prefix>-<i>`. @default 'node' */
  namePrefix?: string;
  /** Per-node readiness timeout in ms. @default 120000 */
  readyTimeout?: number;
}

/** N sample processes started together; each is a {@link SampleNode} to crash, pause or restart. */
export class SampleCluster {
  constructor(readonly nodes: SampleNode[]) {}

  node(index: number): SampleNode {
    const node = this.nodes[index];
    if (!node) throw new Error(`No node ${index}; the cluster has ${this.nodes.length}`);
    return node;
  }

  /** Nodes whose process is alive (paused ones included). */
  running(): SampleNode[] {
    return this.nodes.filter((node) => node.running);
  }

  /** Starts every node at the same moment; resolves when all listen. If one fails, every node is killed. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.nodes.map((node) => node.start()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (!failed) return;
    await Promise.all(this.nodes.map((node) => node.kill()));
    throw failed.reason;
  }

  /** SIGTERM to every node at once; any that does not exit in time is SIGKILLed and reported. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled(this.nodes.map((node) => node.stop()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length) throw new Error(failures.map((f) => String(f.reason)).join('\n'));
  }

  /** Every node's recent output, for a failing test's message. */
  tails(lines = 40): string {
    return this.nodes.map((node) => node.tail(lines)).join('\n');
  }
}

/**
 * Builds the sample if it is stale and creates `nodes` processes-to-be, each on a free HTTP port
 * fixed now, without starting them: clients can aim at a node before it listens (a start-up storm).
 */
export async function createCluster(options: ClusterOptions): Promise<SampleCluster> {
  await ensureSampleBuilt();
  const ports = await Promise.all(Array.from({ length: options.nodes }, () => freePort()));
  const nodes = ports.map(
    (port, index) =>
      new SampleNode({
        name: `${options.namePrefix ?? 'node'}-${index}`,
        env: { ...options.env, ...options.nodeEnv?.(index) },
        port,
        readyTimeout: options.readyTimeout,
      }),
  );
  return new SampleCluster(nodes);
}

/**
 * Builds the sample if it is stale and starts `nodes` processes on free ports, in parallel,
 * resolving when all log `listening on`. If one fails, every started process is killed.
 */
export async function startCluster(options: ClusterOptions): Promise<SampleCluster> {
  const cluster = await createCluster(options);
  await cluster.start();
  return cluster;
}
