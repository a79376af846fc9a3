import { bank } from '../harness/bank.js';
import type { SampleCluster } from '../harness/sample-cluster.js';
import type { SampleNode } from '../harness/sample-node.js';

/** Subscriptions `node` runs right now (none when it does not answer). */
export async function runningOn(node: SampleNode): Promise<string[]> {
  const health = await bank.health(node).catch(() => undefined);
  return health?.subscriptions.filter((s) => s.state === 'running').map((s) => s.name) ?? [];
}

/**
 * ms until every one of `names` runs on some live node other than `gone`, polled every 100 ms;
 * `limitMs` + 1 when that did not happen within `limitMs`.
 */
export async function failoverMs(cluster: SampleCluster, gone: SampleNode, names: string[], limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    const others = cluster.running().filter((node) => node !== gone);
    const running = new Set((await Promise.all(others.map(runningOn))).flat());
    if (names.every((name) => running.has(name))) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return limitMs + 1;
}
